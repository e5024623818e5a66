/* Edited by tests/cmake/run.sh: the size of the app's lookup table, in bytes. */
#define TABLE_SIZE 512
