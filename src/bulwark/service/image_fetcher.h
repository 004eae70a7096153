// Fetches a remote image for /v1/moderations, and only from hosts the
// operator listed in [images] allow_url_hosts: a service that fetched any
// URL a client names would let clients reach internal addresses through it
// (server-side request forgery). So the rules are strict: http or https
// only, the host matched exactly (case-insensitively) against the list, no
// userinfo, no redirects (a redirect could lead anywhere), status 200 only,
// the body capped at max_bytes and the whole exchange bounded by a timeout.
// Synchronous: it runs on a worker thread, on a private io_context.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "bulwark/core/result.h"

namespace bulwark::service {

struct FetchOptions {
  std::vector<std::string> allow_hosts;     // exact host names or IP literals
  uint64_t max_bytes = 0;                   // body size limit; 0: nothing fits
  std::chrono::milliseconds timeout{5000};  // connect + TLS + write + read
};

struct ImageUrl {
  bool https = false;
  std::string host;    // lower-cased; an IPv6 literal without brackets
  uint16_t port = 0;   // the explicit port, else 80 / 443
  std::string target;  // origin-form: path and query, no fragment
};

// Splits an http(s) URL; kInvalidArgument saying what is wrong (another
// scheme, no host, userinfo, a bad port, characters no URL may hold).
Result<ImageUrl> ParseImageUrl(const std::string& url);

// Whether `host` (as ParseImageUrl returns it) is in the list; exact and
// case-insensitive, no suffix or wildcard matching.
bool HostAllowed(const std::string& host,
                 const std::vector<std::string>& allow_hosts);

// GETs the URL and returns the body. kInvalidArgument for a bad or
// not-allowed URL (no connection is made), kUnsupported for a redirect
// (3xx), kIo for any other status but 200, kLimitExceeded for a body over
// max_bytes (declared or read), kIo for resolve/connect/TLS/read failures and
// timeouts. https verifies the certificate chain against the system's trust
// store and the host name.
Result<std::vector<uint8_t>> FetchImage(const std::string& url,
                                        const FetchOptions& options);

}  // namespace bulwark::service
