//! A line logger over a byte sink, formatting with core::fmt (what defmt exists to avoid).
//! Not generic, so its code is compiled into this crate, not into its users'.
#![no_std]

use core::fmt::{self, Write};

pub trait Sink {
    fn put(&mut self, byte: u8);
}

pub struct Logger<'a> {
    sink: &'a mut dyn Sink,
    #[cfg(feature = "timestamps")]
    ticks: u32,
}

struct Adapter<'a, 'b>(&'a mut &'b mut dyn Sink);

impl Write for Adapter<'_, '_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for b in s.bytes() {
            self.0.put(b);
        }
        Ok(())
    }
}

impl<'a> Logger<'a> {
    pub fn new(sink: &'a mut dyn Sink) -> Self {
        Logger {
            sink,
            #[cfg(feature = "timestamps")]
            ticks: 0,
        }
    }

    #[cfg(feature = "timestamps")]
    pub fn tick(&mut self) {
        self.ticks = self.ticks.wrapping_add(1);
    }

    #[inline(never)]
    pub fn log(&mut self, level: Level, args: fmt::Arguments) {
        #[cfg(feature = "timestamps")]
        {
            let t = self.ticks;
            let _ = write!(Adapter(&mut self.sink), "[{:>10}.{:03}] ", t / 1000, t % 1000);
        }
        let _ = write!(Adapter(&mut self.sink), "{:?}: ", level);
        let _ = Adapter(&mut self.sink).write_fmt(args);
        self.sink.put(b'\n');
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Level {
    Error,
    Warn,
    Info,
}
