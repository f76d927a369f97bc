/**
 * AWS Signature Version 4 checks of ECS API calls, as AWS does them: parse the
 * {@code Authorization} header, rebuild the canonical request from what the server
 * received (method, raw path, raw query, the signed headers, the body bytes as sent),
 * derive the signing key from the secret, and compare signatures in constant time.
 *
 * <pre>
 *   Authorization + X-Amz-Date ──parse──▶ credential scope, signed headers, signature
 *   method, path, query, headers, body ──▶ canonical request ──sha256──▶ string to sign
 *   secret ──HMAC(date)→HMAC(region)→HMAC(service)→HMAC("aws4_request")──▶ signing key
 *   HMAC(signing key, string to sign) ══ signature ? accepted : {@link dev.berth.api.auth.AuthRejection}
 * </pre>
 *
 * <p>Invariants: pure code, no Quarkus, Vert.x or Kafka types, so it is tested with plain
 * JUnit and known vectors; time comes from an injected {@link java.time.Clock}; a refusal is
 * a value ({@link dev.berth.api.auth.AuthRejection}) carrying the AWS exception name, never an
 * exception to the caller; neither the secret nor the expected signature ever appears in a
 * refusal message.
 */
package dev.berth.api.auth;
