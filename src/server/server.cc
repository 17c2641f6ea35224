#include "server/server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <semaphore>
#include <string_view>
#include <thread>

#include "rules/catalogue.h"
#include "server/api.h"
#include "server/audit_log.h"
#include "server/crypto.h"
#include "server/http_status.h"
#include "server/live_data.h"
#include "server/store_pool.h"
#include "server/web_files.h"
#include "service/data_source.h"

namespace tilsyn::server {
namespace {

constexpr std::string_view kSessionCookie = "tilsyn_session";
constexpr size_t kMaxBody = size_t{64} << 20;
constexpr size_t kKeepAliveRequests = 10000;
constexpr unsigned kRequestsPerCore = 6;

// Holds one of the server's request slots while it lives.
class RequestSlot {
 public:
  explicit RequestSlot(std::counting_semaphore<>& slots) : slots_(slots) { slots_.acquire(); }
  ~RequestSlot() { slots_.release(); }
  RequestSlot(const RequestSlot&) = delete;
  RequestSlot& operator=(const RequestSlot&) = delete;

 private:
  std::counting_semaphore<>& slots_;
};

// Sent with every response. The CSP allows no inline script or style and no framing; the web UI
// (a Vite build) loads its script, style and fonts from its own files, may show images from data:
// URLs, and talks only to this server.
httplib::Headers SecurityHeaders(bool behind_tls) {
  httplib::Headers headers = {
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      {"Cache-Control", "no-store"},
  };
  if (behind_tls) {
    headers.emplace("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  }
  return headers;
}

// An Accept-Encoding value without Brotli ("br"), the other codings as they were.
std::string WithoutBrotli(std::string_view accept) {
  std::string kept;
  while (!accept.empty()) {
    const size_t end = std::min(accept.find(','), accept.size());
    std::string_view coding = accept.substr(0, end);
    accept.remove_prefix(std::min(end + 1, accept.size()));
    while (!coding.empty() && coding.front() == ' ') coding.remove_prefix(1);
    std::string_view name = coding.substr(0, std::min(coding.find(';'), coding.size()));
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name.empty() || name == "br") continue;
    if (!kept.empty()) kept += ", ";
    kept += coding;
  }
  return kept;
}

std::string CookieValue(const httplib::Request& request, std::string_view name) {
  const std::string header = request.get_header_value("Cookie");
  std::string_view rest = header;
  while (!rest.empty()) {
    const size_t end = std::min(rest.find(';'), rest.size());
    std::string_view pair = rest.substr(0, end);
    rest.remove_prefix(std::min(end + 1, rest.size()));
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const size_t equals = pair.find('=');
    if (equals != std::string_view::npos && pair.substr(0, equals) == name) {
      return std::string(pair.substr(equals + 1));
    }
  }
  return {};
}

}  // namespace

struct Server::Impl {
  ServerConfig config;
  Clock clock;
  std::shared_ptr<spdlog::logger> logger;
  std::unique_ptr<StorePool> pool;
  std::unique_ptr<LiveData> state;
  std::filesystem::path web_root;  // canonical; empty: no web UI
  LoginPolicy policy;
  ReadOptions read_options;
  std::unique_ptr<AuditQueue> audit;
  // Requests handled at once: a few per core. Each keep-alive connection has a thread, and with
  // all of them runnable the scheduler preempts requests midway, so some wait tens of
  // milliseconds for their turn; waiting here, a request costs no turn until it can run to the end.
  std::counting_semaphore<> busy{static_cast<std::ptrdiff_t>(
      kRequestsPerCore * std::max(1U, std::thread::hardware_concurrency()))};
  httplib::Server http;
  // The listening socket, once bound (cpp-httplib hands it to the socket options before binding).
  socket_t listen_socket = INVALID_SOCKET;

  std::string ClientOf(const httplib::Request& request) const {
    if (config.trust_forwarded_for && request.has_header("X-Forwarded-For")) {
      const std::string forwarded = request.get_header_value("X-Forwarded-For");
      return forwarded.substr(0, forwarded.find(','));
    }
    return request.remote_addr;
  }

  void Log(const httplib::Request& request, int status, double ms, std::string_view user,
           std::string_view client, std::string_view error) const {
    // A calendar feed's path holds its secret token, which no log may keep.
    const std::string path =
        request.path.starts_with("/calendar/") ? "/calendar/(token).ics" : request.path;
    if (config.log_format == "json") {
      nlohmann::ordered_json line = {
          {"event", "request"}, {"method", request.method},         {"path", path},
          {"status", status},   {"ms", std::round(ms * 100) / 100}, {"user", user},
          {"client", client}};
      if (!error.empty()) line["error"] = error;
      logger->info(line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
      return;
    }
    const std::string quoted_error =
        error.empty()
            ? std::string()
            : " error=" + nlohmann::json(std::string(error))
                              .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    logger->info("event=request method={} path={} status={} ms={:.2f} user={} client={}{}",
                 request.method, path, status, ms, user.empty() ? "-" : user, client, quoted_error);
  }

  // Runs one route: session and CSRF checks, catching up with other instances, the handler.
  Result<Reply> Handle(const Route& route, const httplib::Request& request,
                       const std::string& client, Instant now, std::string& user) {
    StorePool::Lease store = pool->Take();
    SessionUser session;
    const bool signed_in = route.access != Access::kPublic;
    if (signed_in) {
      Result<SessionUser> found =
          FindSession(*store, policy, CookieValue(request, kSessionCookie), now);
      if (!found) return std::move(found).error();
      session = std::move(*found);
      user = session.user.login;
      if (route.access == Access::kSignedInChange &&
          !ConstantTimeEquals(request.get_header_value("X-CSRF-Token"), session.csrf_token)) {
        return PermissionDenied("Anmodningen mangler et gyldigt X-CSRF-Token");
      }
    }
    if (route.method == "POST" && !request.body.empty() &&
        !request.get_header_value("Content-Type").starts_with("application/json")) {
      return InvalidArgument("the body must be JSON (Content-Type: application/json)");
    }
    if (signed_in) {
      if (Status caught_up = state->CatchUp(*store); !caught_up) return caught_up.error();
    }
    RequestContext ctx{request,      signed_in ? &session : nullptr,
                       client,       now,
                       *store,       *state,
                       config,       policy,
                       read_options, *audit};
    return route.handler(ctx);
  }

  void Dispatch(const Route& route, const httplib::Request& request, httplib::Response& response) {
    const auto started = std::chrono::steady_clock::now();
    const std::string client = ClientOf(request);
    std::string user;
    Result<Reply> reply = [&] {
      const RequestSlot slot(busy);
      return Handle(route, request, client, clock(), user);
    }();
    if (reply) {
      for (AuditQueue::Ticket& row : reply->audit) {
        if (Status audited = row.Wait(); !audited) {
          reply = audited.error();
          break;
        }
      }
    }
    std::string error;
    if (reply) {
      response.status = reply->status;
      for (const auto& [name, value] : reply->headers) response.set_header(name, value);
      if (!reply->content_type.empty()) response.set_content(reply->body, reply->content_type);
    } else {
      response.status = HttpStatusOf(reply.error().code);
      response.set_content(ErrorBody(reply.error()), "application/json");
      error = reply.error().message;
    }
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    Log(request, response.status, ms, user, client, error);
  }

  // A GET outside the API: a file of the web UI.
  void ServeWebFile(const httplib::Request& request, httplib::Response& response) const {
    const auto started = std::chrono::steady_clock::now();
    Result<WebFile> file = FindWebFile(web_root, request.path);
    std::string body;
    if (file) {
      std::ifstream in(file->path, std::ios::binary);
      if (in) {
        body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      } else {
        file = Unavailable(fmt::format("Filen {} kunne ikke læses", request.path));
      }
    }
    std::string error;
    if (file) {
      // Replaces the default no-store: the UI's files may be kept (assets) or revalidated.
      response.headers.erase("Cache-Control");
      response.set_header("Cache-Control", std::string(file->cache_control));
      response.set_content(body, std::string(file->content_type));
    } else {
      response.status = HttpStatusOf(file.error().code);
      response.set_content(ErrorBody(file.error()), "application/json");
      error = file.error().message;
    }
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    Log(request, response.status, ms, "", ClientOf(request), error);
  }
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;

Result<std::unique_ptr<Server>> Server::Create(const ServerConfig& config, Clock clock,
                                               std::shared_ptr<spdlog::logger> logger) {
  if (Status crypto = InitCrypto(); !crypto) return crypto.error();
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  impl->clock = std::move(clock);
  impl->logger = std::move(logger);
  impl->policy = {config.login_attempts, config.login_window_seconds,
                  config.session_lifetime_seconds, config.session_idle_seconds};
  const DataSource source{"", config.sqlite_path, config.postgres_url};
  Result<std::unique_ptr<StorePool>> pool =
      StorePool::Open([&source] { return OpenStore(source); }, config.connections);
  if (!pool) return std::move(pool).error();
  impl->pool = std::move(*pool);
  Result<std::unique_ptr<Store>> audit_store = OpenStore(source);
  if (!audit_store) return std::move(audit_store).error();
  Result<std::optional<std::string>> audit_key = AuditKeyOf(config.audit_key_file);
  if (!audit_key) return std::move(audit_key).error();
  if (Status checked = CheckAuditKey(**audit_store, *audit_key); !checked) return checked.error();
  impl->audit = std::make_unique<AuditQueue>(std::move(*audit_store), std::move(*audit_key));
  Result<Catalogue> catalogue =
      LoadCatalogue(config.rules_dir.empty() ? DefaultRulesDirectory() : config.rules_dir);
  if (!catalogue) return std::move(catalogue).error();
  impl->read_options.known_rule_ids = catalogue->RuleIds();
  Result<std::optional<std::string>> key = CprKey(config.cpr_key_file);
  if (!key) return std::move(key).error();
  impl->read_options.cpr_key = *key;
  impl->read_options.cpr_needs_key = true;
  if (!config.web_root.empty()) {
    Result<std::filesystem::path> root = OpenWebRoot(config.web_root);
    if (!root) return std::move(root).error();
    impl->web_root = std::move(*root);
  }
  {
    StorePool::Lease store = impl->pool->Take();
    Result<std::unique_ptr<LiveData>> state = LiveData::Load(*store, std::move(*catalogue), 0);
    if (!state) return std::move(state).error();
    impl->state = std::move(*state);
  }

  Impl& self = *impl;
  httplib::Server& http = impl->http;
  const int threads = config.threads;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  http.set_payload_max_length(kMaxBody);
  // A browser or client keeps its connection for many requests (cpp-httplib's default closes it
  // after 5, and every new connection costs a handshake and a task).
  http.set_keep_alive_max_count(kKeepAliveRequests);
  // Answers go out at once: with Nagle's algorithm a keep-alive answer written in two pieces
  // (headers, body) waits for the client's delayed ACK, some 40 ms.
  http.set_tcp_nodelay(true);
  http.set_socket_options([&self](socket_t socket) {
    httplib::default_socket_options(socket);
    self.listen_socket = socket;
  });
  http.set_default_headers(SecurityHeaders(config.behind_tls));
  // Browsers accept Brotli, which cpp-httplib writes at its highest quality: about a second for a
  // 300 kB answer (a large worklist), where gzip takes 10 ms at nearly the same size. So every
  // response is written as if Brotli had not been offered. The request is cpp-httplib's own
  // object, handed on as const; nothing has read the header yet.
  http.set_pre_routing_handler([](const httplib::Request& request, httplib::Response&) {
    auto& headers = const_cast<httplib::Request&>(request).headers;
    const auto accept = headers.find("Accept-Encoding");
    if (accept != headers.end()) accept->second = WithoutBrotli(accept->second);
    return httplib::Server::HandlerResponse::Unhandled;
  });
  for (Route& route : ApiRoutes()) {
    auto shared = std::make_shared<Route>(std::move(route));
    auto handler = [&self, shared](const httplib::Request& request, httplib::Response& response) {
      self.Dispatch(*shared, request, response);
    };
    if (shared->method == "GET") {
      http.Get(shared->pattern, handler);
    } else if (shared->method == "DELETE") {
      http.Delete(shared->pattern, handler);
    } else {
      http.Post(shared->pattern, handler);
    }
  }
  // After the API's routes, which cpp-httplib tries first, in order.
  if (!self.web_root.empty()) {
    http.Get(".*", [&self](const httplib::Request& request, httplib::Response& response) {
      self.ServeWebFile(request, response);
    });
  }
  http.set_error_handler(httplib::Server::HandlerWithResponse(
      [&self](const httplib::Request& request, httplib::Response& response) {
        if (!response.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        const Error error = response.status == 404
                                ? NotFound("Siden findes ikke")
                                : InvalidArgument("Anmodningen kunne ikke læses");
        response.set_content(ErrorBody(error), "application/json");
        self.Log(request, response.status, 0, "", self.ClientOf(request), error.message);
        return httplib::Server::HandlerResponse::Handled;
      }));
  http.set_exception_handler([&self](const httplib::Request& request, httplib::Response& response,
                                     std::exception_ptr exception) {
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(std::move(exception));
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    response.status = 500;
    response.set_content(ErrorBody(Internal("Der opstod en intern fejl")), "application/json");
    self.Log(request, 500, 0, "", self.ClientOf(request), what);
  });
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Result<int> Server::Bind() {
  const ServerConfig& config = impl_->config;
  int port = config.port;
  if (port == 0) {
    port = impl_->http.bind_to_any_port(config.listen_address);
    if (port < 0) port = 0;
  } else if (!impl_->http.bind_to_port(config.listen_address, port)) {
    port = 0;
  }
  if (port == 0) {
    return Unavailable(
        fmt::format("cannot listen on {}:{} (in use, or not an address of this "
                    "machine)",
                    config.listen_address, config.port));
  }
  // Debian's cpp-httplib listens with a backlog of 5: a burst of new connections (a department's
  // browsers at nine, a proxy opening its pool) overflows it, and each dropped handshake costs its
  // client a retransmission one second later. Listening again on the bound socket raises it.
  if (impl_->listen_socket != INVALID_SOCKET && ::listen(impl_->listen_socket, SOMAXCONN) != 0) {
    return Unavailable(fmt::format("cannot listen on {}:{}", config.listen_address, port));
  }
  impl_->logger->info(
      impl_->config.log_format == "json"
          ? fmt::format(R"({{"event":"listening","address":"{}","port":{}}})",
                        config.listen_address, port)
          : fmt::format("event=listening address={} port={}", config.listen_address, port));
  return port;
}

Status Server::Run() {
  if (!impl_->http.listen_after_bind()) return Unavailable("the server stopped listening");
  return {};
}

void Server::Stop() { impl_->http.stop(); }

}  // namespace tilsyn::server
