//! Entry point, vector table and panic handler in the way cortex-m-rt lays them out.
#![no_std]
#![no_main]

use core::panic::PanicInfo;
use core::ptr;
use minilog::{Level, Logger, Sink};

const UART_DR: *mut u32 = 0x4000_c000 as *mut u32;

struct Uart;

impl Sink for Uart {
    fn put(&mut self, byte: u8) {
        unsafe { ptr::write_volatile(UART_DR, byte as u32) }
    }
}

static mut RX_RING: [u8; 256] = [0; 256];
static mut SAMPLES: [u32; 16] = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3];

fn average(samples: &[u32]) -> u32 {
    samples.iter().sum::<u32>() / samples.len() as u32
}

#[no_mangle]
pub unsafe extern "C" fn Reset() -> ! {
    extern "C" {
        static mut __sbss: u32;
        static mut __ebss: u32;
        static mut __sdata: u32;
        static mut __edata: u32;
        static __sidata: u32;
    }
    let mut p = ptr::addr_of_mut!(__sbss);
    while p < ptr::addr_of_mut!(__ebss) {
        ptr::write_volatile(p, 0);
        p = p.add(1);
    }
    let (mut d, mut s) = (ptr::addr_of_mut!(__sdata), ptr::addr_of!(__sidata));
    while d < ptr::addr_of_mut!(__edata) {
        ptr::write_volatile(d, ptr::read(s));
        d = d.add(1);
        s = s.add(1);
    }
    main()
}

fn main() -> ! {
    let mut uart = Uart;
    let mut log = Logger::new(&mut uart);
    let mut round: u32 = 0;
    loop {
        let samples = unsafe { &mut *ptr::addr_of_mut!(SAMPLES) };
        let rx = unsafe { &mut *ptr::addr_of_mut!(RX_RING) };
        samples[(round % 16) as usize] = rx[(round % 256) as usize] as u32;
        log.log(Level::Info, format_args!("round {} average {}", round, average(samples)));
        #[cfg(feature = "float")]
        log.log(Level::Info, format_args!("ratio {:.3}", average(samples) as f32 / 7.0));
        if round == u32::MAX {
            panic!("round counter wrapped");
        }
        round = round.wrapping_add(1);
    }
}

#[no_mangle]
pub extern "C" fn DefaultHandler() {
    loop {}
}

#[link_section = ".vector_table.reset_vector"]
#[no_mangle]
pub static __RESET_VECTOR: unsafe extern "C" fn() -> ! = Reset;

#[link_section = ".vector_table.exceptions"]
#[no_mangle]
pub static __EXCEPTIONS: [extern "C" fn(); 14] = [DefaultHandler; 14];

#[cfg(not(feature = "panic-halt"))]
#[panic_handler]
fn panic(info: &PanicInfo) -> ! {
    let mut uart = Uart;
    let mut log = Logger::new(&mut uart);
    log.log(Level::Error, format_args!("{}", info));
    loop {}
}

#[cfg(feature = "panic-halt")]
#[panic_handler]
fn panic(_: &PanicInfo) -> ! {
    loop {}
}
