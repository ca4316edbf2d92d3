//! The command line's commands, one file per concern (the binary only:
//! everything they do is in the library).

pub(crate) mod convert;
pub(crate) mod ctx;
pub(crate) mod report;
pub(crate) mod share;
pub(crate) mod window;
