//! RFC 3339 timestamps to Unix seconds: the only date arithmetic the look-ups
//! need, too small to justify a date crate.

/// Seconds since the Unix epoch of an RFC 3339 timestamp such as
/// `2014-03-21T19:11:57.357Z` or `2024-12-04T23:03:58.786000+00:00`, or
/// `None` when it is not one. Fractional seconds are dropped.
pub(crate) fn parse_unix_seconds(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let year = digits(b, 0, 4)?;
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    let hour = digits(b, 11, 2)?;
    let minute = digits(b, 14, 2)?;
    let second = digits(b, 17, 2)?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    // 60 is a leap second.
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = &b[19..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let len = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if len == 0 {
            return None;
        }
        rest = &fraction[len..];
    }
    let offset = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let hours = digits(rest, 1, 2)?;
            let minutes = digits(rest, 4, 2)?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            let seconds = hours * 3600 + minutes * 60;
            if *sign == b'-' {
                -seconds
            } else {
                seconds
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    Some(days * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

fn digits(b: &[u8], start: usize, len: usize) -> Option<i64> {
    let slice = b.get(start..start + len)?;
    slice.iter().try_fold(0i64, |acc, c| {
        c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
    })
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants() {
        assert_eq!(parse_unix_seconds("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_unix_seconds("2014-03-21T19:11:57.357Z"), Some(1_395_429_117));
        assert_eq!(
            parse_unix_seconds("2024-12-04T23:03:58.786000+00:00"),
            Some(1_733_353_438)
        );
        assert_eq!(
            parse_unix_seconds("2000-02-29t12:00:00+02:30"),
            Some(951_825_600 - 9000)
        );
        assert_eq!(parse_unix_seconds("1969-12-31T23:59:59Z"), Some(-1));
        assert_eq!(parse_unix_seconds("2024-01-01 00:00:00-01:00"), Some(1_704_070_800));
    }

    #[test]
    fn rejects_non_timestamps() {
        for bad in [
            "",
            "2014-03-21",
            "2014-03-21T19:11:57",
            "2014-13-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2014-03-21T24:00:00Z",
            "2014-03-21T19:11:57.Z",
            "2014-03-21T19:11:57+0100",
            "2014-03-21T19:11:57Zjunk",
            "2014-03-21T19:11:57+24:00",
            "20x4-03-21T19:11:57Z",
            "2014-03-21T19:11:57€",
        ] {
            assert_eq!(parse_unix_seconds(bad), None, "{bad:?}");
        }
    }
}
