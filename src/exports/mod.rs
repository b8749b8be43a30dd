//! Files exported from other systems (form backends, CRMs), read as rows
//! of header-matched cells, each with its file and line.

mod columns;

pub use columns::header_key;
