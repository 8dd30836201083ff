//! Which failed requests are retried, and how long to wait before each retry.

use super::*;

/// When and how long [`Transport::send`] retries a request that failed in a
/// way that may go away by itself.
///
/// What is retried:
///
/// - responses `429 Too Many Requests`, `503 Service Unavailable` and
///   `504 Gateway Timeout`, for every method: Microsoft Graph answers with
///   them when it throttles or is briefly unavailable, and Microsoft's Graph
///   SDKs retry them the same way;
/// - connection failures (the connection could not be opened, or it closed
///   before a response arrived) of idempotent requests only: `GET`, `HEAD`,
///   `PUT`, `DELETE`, `OPTIONS` and `TRACE`. A `POST` or `PATCH` whose
///   connection broke may have been carried out, so it is never sent twice.
///
/// A request whose [total timeout](ClientBuilder::timeout) elapsed is not
/// retried: the service may still be working on it.
///
/// How long to wait: the `Retry-After` of the response when it has one
/// (delta-seconds, or an HTTP-date that is still in the future), otherwise
/// exponential backoff with jitter:
/// before retry `n` (1-based) a random wait between half of and the full
/// `base_delay × 2^(n-1)`. The waits of one request add up to at most
/// `max_total_delay`; when the next wait would go beyond it (for example a
/// `Retry-After` longer than what is left), the last error is returned at
/// once instead, with the number of attempts made.
///
/// The defaults are those of Microsoft's Graph SDK retry handler
/// (`RetryHandlerOption` in Kiota): a 3 s base delay and 3 retries, i.e. 4
/// attempts; its 180 s ceiling is the default and the maximum of the total
/// delay here. At most [`RetryPolicy::MAX_ATTEMPTS`] attempts can be
/// configured.
///
/// ```ignore
/// let client = Client::builder()
///     .bearer_token(token)
///     .retry_policy(RetryPolicy::default().with_max_attempts(6))
///     .build()?;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub(super) max_attempts: u32,
    pub(super) max_total_delay: Duration,
    pub(super) base_delay: Duration,
}

impl RetryPolicy {
    /// The most attempts (first try included) a policy can allow.
    pub const MAX_ATTEMPTS: u32 = 10;

    /// The longest total wait between the attempts of one request a policy
    /// can allow: the 180 s ceiling of Microsoft's Graph SDK retry handler.
    pub const MAX_TOTAL_DELAY: Duration = Duration::from_secs(180);

    /// The default number of attempts: the first try and the Graph SDK's
    /// default of 3 retries.
    pub const DEFAULT_MAX_ATTEMPTS: u32 = 4;

    /// The default base of the exponential backoff: the Graph SDK's default
    /// delay of 3 s.
    pub const DEFAULT_BASE_DELAY: Duration = Duration::from_secs(3);

    /// A policy that sends every request once and never waits.
    pub const fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            max_total_delay: Duration::ZERO,
            base_delay: Duration::ZERO,
        }
    }

    /// Allows `attempts` attempts in all (the first try included), clamped to
    /// `1..=`[`MAX_ATTEMPTS`](Self::MAX_ATTEMPTS); 1 disables retries.
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.clamp(1, Self::MAX_ATTEMPTS);
        self
    }

    /// Limits the sum of the waits between the attempts of one request,
    /// clamped to [`MAX_TOTAL_DELAY`](Self::MAX_TOTAL_DELAY). The time spent
    /// in the attempts themselves is bounded by the
    /// [timeout](ClientBuilder::timeout), which applies per attempt.
    pub fn with_max_total_delay(mut self, delay: Duration) -> Self {
        self.max_total_delay = delay.min(Self::MAX_TOTAL_DELAY);
        self
    }

    /// Sets the base of the exponential backoff used when a response has no
    /// `Retry-After`: the wait before the first retry is between half of it
    /// and all of it, and it doubles for each further retry. Clamped to
    /// [`MAX_TOTAL_DELAY`](Self::MAX_TOTAL_DELAY).
    pub fn with_base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay.min(Self::MAX_TOTAL_DELAY);
        self
    }

    /// The number of attempts allowed, the first try included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The longest total wait between the attempts of one request.
    pub fn max_total_delay(&self) -> Duration {
        self.max_total_delay
    }

    /// The base of the exponential backoff.
    pub fn base_delay(&self) -> Duration {
        self.base_delay
    }

    /// The wait before the retry that follows failed attempt `attempt`
    /// (1-based), without `Retry-After`: `base × 2^(attempt-1)`, of which the
    /// upper half is random (`random` is uniform over `u32`), so that clients
    /// throttled together do not come back together.
    pub(super) fn backoff(&self, attempt: u32, random: u32) -> Duration {
        let factor = 1_u32
            .checked_shl(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX);
        let full = self
            .base_delay
            .saturating_mul(factor)
            .min(Self::MAX_TOTAL_DELAY);
        // At most 180 s, so the nanoseconds fit in a u64 and the product in a u128.
        let full_nanos = u64::try_from(full.as_nanos()).unwrap_or(u64::MAX);
        let half = full_nanos / 2;
        let jitter = (u128::from(full_nanos - half) * u128::from(random)) >> 32;
        Duration::from_nanos(half.saturating_add(u64::try_from(jitter).unwrap_or(0)))
    }

    /// Decides whether failed attempt `attempt` (1-based) is retried, and
    /// after which wait, given the waits of this request so far.
    pub(super) fn next_delay(
        &self,
        attempt: u32,
        waited: Duration,
        failure: Failure<'_>,
        method: &Method,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let delay = match failure {
            Failure::Status(status, headers) => {
                if !is_retryable_status(status) {
                    return None;
                }
                retry_after(headers, SystemTime::now())
                    .unwrap_or_else(|| self.backoff(attempt, random_u32()))
            }
            Failure::Transport(error) => {
                if !is_idempotent(method) || !is_connection_failure(error) {
                    return None;
                }
                self.backoff(attempt, random_u32())
            }
        };
        (waited.saturating_add(delay) <= self.max_total_delay).then_some(delay)
    }
}

impl Default for RetryPolicy {
    /// [`DEFAULT_MAX_ATTEMPTS`](Self::DEFAULT_MAX_ATTEMPTS) attempts,
    /// [`DEFAULT_BASE_DELAY`](Self::DEFAULT_BASE_DELAY) and at most
    /// [`MAX_TOTAL_DELAY`](Self::MAX_TOTAL_DELAY) of waiting in all.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: Self::DEFAULT_MAX_ATTEMPTS,
            max_total_delay: Self::MAX_TOTAL_DELAY,
            base_delay: Self::DEFAULT_BASE_DELAY,
        }
    }
}

/// How an attempt failed, as far as retrying is concerned.
#[derive(Clone, Copy)]
pub(super) enum Failure<'a> {
    /// The service answered with a non-success status.
    Status(StatusCode, &'a HeaderMap),
    /// No (complete) response arrived.
    Transport(&'a reqwest::Error),
}

/// The statuses Microsoft Graph uses for throttling (`429`) and transient
/// unavailability (`503`, `504`), and that its SDKs retry.
pub(super) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::TOO_MANY_REQUESTS
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT
    )
}

/// The methods RFC 9110 (section 9.2.2) defines as idempotent: sending them
/// twice has the effect of sending them once.
pub(super) fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

/// Whether the connection failed, as opposed to the total timeout elapsing
/// or the request being refused by the HTTP client: the connection could not
/// be opened (a connect timeout included), or it closed or reset before the
/// whole response was read.
pub(super) fn is_connection_failure(error: &reqwest::Error) -> bool {
    if error.is_timeout() {
        // The connect timeout is a connect error; the total timeout is not,
        // and may have fired while the service was working on the request.
        return error.is_connect();
    }
    error.is_connect() || error.is_request() || error.is_body()
}

/// 32 random bits for backoff jitter, from the operating system's generator
/// through the `uuid` crate that the client already uses for request ids (the
/// low 32 bits of a version 4 UUID are all random).
pub(super) fn random_u32() -> u32 {
    // Truncation keeps exactly the low 32 bits.
    uuid::Uuid::new_v4().as_u128() as u32
}
