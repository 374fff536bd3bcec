#![cfg(feature = "schema")]
