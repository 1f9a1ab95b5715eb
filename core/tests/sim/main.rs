//! Integration tests of the general simulator against facts known independently of the code.

mod by_hand;
mod consistency;
mod faults;
mod golden;
mod support;
mod validation;
