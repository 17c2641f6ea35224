#pragma once

#include <httplib.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "ingest/interchange_reader.h"
#include "server/accounts.h"
#include "server/audit_log.h"
#include "server/config.h"
#include "server/live_data.h"
#include "store/store.h"

namespace tilsyn::server {

// What a handler answers, before the server adds its headers.
struct Reply {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  // The audit rows of what this answer shows: the answer goes out only once they are durable,
  // and in its place the error when one could not be written. The request waits for them after
  // giving back its request slot and store connection.
  std::vector<AuditQueue::Ticket> audit;
};

// One request as a handler sees it.
struct RequestContext {
  const httplib::Request& request;
  const SessionUser* session;  // null on the routes open to everyone
  std::string client;          // client address
  Instant now;
  Store& store;
  LiveData& state;
  const ServerConfig& config;
  const LoginPolicy& policy;
  const ReadOptions& read_options;  // for posted events
  AuditQueue& audit;
};

using Handler = std::function<Result<Reply>(RequestContext&)>;

// Who may call a route: anyone, or a signed-in user (and then whether it changes state, so needs
// the CSRF token).
enum class Access { kPublic, kSignedIn, kSignedInChange };

struct Route {
  std::string method;   // "GET", "POST" or "DELETE"
  std::string pattern;  // a regular expression over the path, as cpp-httplib takes it
  Access access;
  Handler handler;
};

// The JSON API of openapi.json.
std::vector<Route> ApiRoutes();

// The error body every failure has: {"error": {"code": "...", "message": "..."}}.
std::string ErrorBody(const Error& error);

}  // namespace tilsyn::server
