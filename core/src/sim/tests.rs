//! Tests of the simulator that span its modules and the library beside it.

mod library_agreement;
