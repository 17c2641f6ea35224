#include <fmt/format.h>

#include <memory>
#include <optional>
#include <string>

#include "apps/cli/commands.h"
#include "apps/cli/source_options.h"
#include "server/audit_log.h"
#include "server/crypto.h"
#include "service/data_source.h"

namespace tilsyn::cli {
namespace {

struct VerifyArgs {
  DataSource source;
  std::string key_file;
};

int RunVerify(const VerifyArgs& args) {
  if (Status crypto = server::InitCrypto(); !crypto) return ReportError(crypto.error());
  Result<std::optional<std::string>> key = AuditKeyOf(args.key_file);
  if (!key) return ReportError(key.error());
  Result<std::unique_ptr<Store>> store = OpenStore(args.source);
  if (!store) return ReportError(store.error());
  Result<server::AuditVerification> verification = server::VerifyAudit(**store, *key);
  if (!verification) return ReportError(verification.error());
  for (const std::string& notice : verification->notices) {
    fmt::print(stderr, "tilsyn: audit log: {}\n", notice);
  }
  if (verification->problems.empty()) {
    fmt::print("Revisionssporet er uændret: {} rækker, heraf {} med nøgle; kæden er hel\n",
               verification->rows, verification->keyed_rows);
    return 0;
  }
  for (const server::AuditProblem& problem : verification->problems) {
    fmt::print(stderr, "tilsyn: audit log: {}\n", problem.message);
  }
  fmt::print(stderr, "tilsyn: the audit log has been tampered with ({} problems in {} rows)\n",
             verification->problems.size(), verification->rows);
  return 1;
}

}  // namespace

void AddAuditCommand(CLI::App& app, int& exit_code) {
  CLI::App* command = app.add_subcommand("audit", "The audit log of reads and changes");
  command->require_subcommand(1);
  auto args = std::make_shared<VerifyArgs>();
  CLI::App* verify = command->add_subcommand(
      "verify", "Check the audit log's hash chain; names every edited, deleted or moved row");
  AddSourceOptions(*verify, args->source, false);
  verify->add_option("--key-file", args->key_file,
                     "The audit key the server writes with (default: $TILSYN_AUDIT_KEY); without "
                     "it, keyed rows are checked for their order only");
  verify->callback([args, &exit_code] { exit_code = RunVerify(*args); });
}

}  // namespace tilsyn::cli
