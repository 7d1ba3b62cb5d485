//! Options shared by the fuzz targets: a pinned check time, so runs repeat.

use mtls_check::Options;

/// 2030-06-15T12:00:00Z, the check time of the test fixtures.
pub const CHECK_TIME: i64 = 1_907_755_200;

pub fn options() -> Options {
    Options::new("apigw-rest", CHECK_TIME)
}
