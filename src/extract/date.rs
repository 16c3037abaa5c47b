//! Event dates (stub).
use chrono::NaiveDate;

/// The event date an article states, resolved against the bulletin date.
pub fn event_date(_title: &str, _text: &str, _bulletin: Option<NaiveDate>) -> Option<NaiveDate> {
    None
}
