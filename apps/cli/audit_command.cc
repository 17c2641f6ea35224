#include <fmt/format.h>

#include <memory>

#include "apps/cli/commands.h"
#include "apps/cli/source_options.h"
#include "server/audit_log.h"
#include "server/crypto.h"
#include "service/data_source.h"

namespace tilsyn::cli {
namespace {

int RunVerify(const DataSource& source) {
  if (Status crypto = server::InitCrypto(); !crypto) return ReportError(crypto.error());
  Result<std::unique_ptr<Store>> store = OpenStore(source);
  if (!store) return ReportError(store.error());
  Result<server::AuditVerification> verification = server::VerifyAudit(**store);
  if (!verification) return ReportError(verification.error());
  if (verification->problems.empty()) {
    fmt::print("Revisionssporet er uændret: {} rækker, kæden er hel\n", verification->rows);
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
  auto source = std::make_shared<DataSource>();
  CLI::App* verify = command->add_subcommand(
      "verify", "Check the audit log's hash chain; names every edited, deleted or moved row");
  AddSourceOptions(*verify, *source, false);
  verify->callback([source, &exit_code] { exit_code = RunVerify(*source); });
}

}  // namespace tilsyn::cli
