#include "cli.h"
#include "format/validate.h"

namespace tfjs::cli {

Command validateCommand()
{
    return {QStringLiteral("validate"),
            QStringLiteral("Decode every tensor and report every problem found; check the store's weight blobs against their hashes."),
            [](QCommandLineParser &parser) {
                parser.addPositionalArgument(QStringLiteral("URL"), QStringLiteral("The model."));
            },
            [](Context &ctx, const QCommandLineParser &parser) {
                if (parser.positionalArguments().size() != 1)
                    return ctx.usageError(parser, QStringLiteral("validate takes one URL."));
                const QString url = parser.positionalArguments().at(0);
                // The store's blobs are checked against their hashes (bytes changed in place).
                LoadOptions options;
                options.verifyContent = true;
                auto artifacts = ctx.load(url, options);
                if (!artifacts)
                    return ctx.failWith(artifacts.error());
                ValidationReport report;
                auto ran = ctx.runJob(QStringLiteral("Validating"), [&](JobContext &job) -> Result<void> {
                    auto validated = validateArtifacts(*artifacts, job);
                    if (!validated)
                        return fail(validated.error());
                    report = std::move(*validated);
                    return {};
                });
                if (!ran)
                    return ctx.failWith(ran.error());
                for (const QString &note : std::as_const(report.notes))
                    ctx.out << "note: " << note << '\n';
                for (const Error &problem : report.problems)
                    ctx.err << "tfjs-model: " << problem.toString() << '\n';
                if (!report.ok()) {
                    ctx.err << "tfjs-model: " << url << ": " << report.problems.size()
                            << " problem(s) found.\n";
                    return int(Failure);
                }
                ctx.out << url << ": OK, " << report.tensorsDecoded << " tensors, "
                        << report.bytesRead << " bytes decoded.\n";
                return int(Success);
            }};
}

} // namespace tfjs::cli
