//! Billing: `RunInstances`' charge type and prepaid terms, and what they mean for an instance.

use cvm_proto::models::{InstanceChargePrepaid, RunInstancesRequest};

use super::one_of;
use crate::error::{ApiFailure, ApiResult};
use crate::sim::SimInstance;
use crate::time;

const RENEW_FLAGS: [&str; 3] = [
    "NOTIFY_AND_AUTO_RENEW",
    "NOTIFY_AND_MANUAL_RENEW",
    "DISABLE_NOTIFY_AND_MANUAL_RENEW",
];
/// Every charge type the service knows.
pub(super) const CHARGE_TYPES: [&str; 5] = [
    "PREPAID",
    "POSTPAID_BY_HOUR",
    "CDHPAID",
    "SPOTPAID",
    "CDCPAID",
];

/// The charge types cvm-sim launches instances with (the others need dedicated hosts or clusters).
pub(super) const EMULATED_CHARGE_TYPES: [&str; 3] = ["PREPAID", "POSTPAID_BY_HOUR", "SPOTPAID"];

/// How new instances are billed.
pub(super) struct Billing {
    /// `PREPAID`, `POSTPAID_BY_HOUR` or `SPOTPAID`.
    pub charge_type: String,
    /// The prepaid period in months.
    pub period: Option<i64>,
    /// The prepaid renewal.
    pub renew_flag: Option<String>,
}

/// The checked billing of a `RunInstances` request, `POSTPAID_BY_HOUR` when omitted.
pub(super) fn check_billing(req: &RunInstancesRequest) -> ApiResult<Billing> {
    let charge_type = req
        .instance_charge_type
        .clone()
        .unwrap_or_else(|| "POSTPAID_BY_HOUR".to_owned());
    check_charge_type(&charge_type)?;
    let (period, renew_flag) = if charge_type == "PREPAID" {
        let (period, flag) = check_prepaid(req.instance_charge_prepaid.as_ref())?;
        (Some(period), Some(flag))
    } else {
        (None, None)
    };
    Ok(Billing {
        charge_type,
        period,
        renew_flag,
    })
}

/// Allows the charge types cvm-sim emulates; those needing dedicated hosts or clusters are unsupported.
fn check_charge_type(charge_type: &str) -> ApiResult<()> {
    if EMULATED_CHARGE_TYPES.contains(&charge_type) {
        return Ok(());
    }
    match charge_type {
        "CDHPAID" | "CDCPAID" => Err(ApiFailure::new(
            "UnsupportedOperation.InstanceChargeType",
            format!("`{charge_type}` needs dedicated hosts or clusters, which cvm-sim does not emulate."),
        )),
        _ => one_of("InstanceChargeType", charge_type, &CHARGE_TYPES),
    }
}

/// The required prepaid period (1-12, 24, 36, 48 or 60 months) and the renewal, `NOTIFY_AND_MANUAL_RENEW` when omitted.
fn check_prepaid(prepaid: Option<&InstanceChargePrepaid>) -> ApiResult<(i64, String)> {
    let prepaid = prepaid.ok_or_else(|| ApiFailure::missing("InstanceChargePrepaid.Period"))?;
    let period = super::given(prepaid.period, "InstanceChargePrepaid.Period")?;
    if !matches!(period, 1..=12 | 24 | 36 | 48 | 60) {
        return Err(ApiFailure::new(
            "InvalidPeriod",
            format!(
                "The period `{period}` is invalid; allowed periods are 1-12, 24, 36, 48 and 60 months."
            ),
        ));
    }
    let flag = prepaid
        .renew_flag
        .clone()
        .unwrap_or_else(|| "NOTIFY_AND_MANUAL_RENEW".to_owned());
    one_of("InstanceChargePrepaid.RenewFlag", &flag, &RENEW_FLAGS)?;
    Ok((period, flag))
}

/// An instance's charge type, `POSTPAID_BY_HOUR` when it has none.
pub(super) fn charge_type_of(inst: &SimInstance) -> &str {
    inst.model
        .instance_charge_type
        .as_deref()
        .unwrap_or("POSTPAID_BY_HOUR")
}

/// Adds `months` calendar months to a Unix time, keeping the day where the month allows.
pub(super) fn add_months(secs: i64, months: i64) -> i64 {
    let text = time::format_utc(secs);
    let (y, m): (i64, i64) = (
        text[0..4].parse().unwrap_or(1970),
        text[5..7].parse().unwrap_or(1),
    );
    let d: i64 = text[8..10].parse().unwrap_or(1);
    let total = y * 12 + (m - 1) + months;
    let (ny, nm) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    let rest = &text[10..];
    (0..4)
        .find_map(|back| time::parse_utc(&format!("{ny:04}-{nm:02}-{:02}{rest}", d - back)))
        .unwrap_or(secs)
}

#[cfg(test)]
mod tests {
    use super::super::launch_plan::is_base64;
    use super::*;

    #[test]
    fn months_and_base64() {
        let jan31 = time::parse_utc("2023-01-31T10:00:00Z").unwrap_or(0);
        assert_eq!(
            time::format_utc(add_months(jan31, 1)),
            "2023-02-28T10:00:00Z"
        );
        assert_eq!(
            time::format_utc(add_months(jan31, 12)),
            "2024-01-31T10:00:00Z"
        );
        assert!(is_base64("aGVsbG8="));
        assert!(!is_base64("aGVsbG8"));
        assert!(!is_base64("a=bc"));
    }
}
