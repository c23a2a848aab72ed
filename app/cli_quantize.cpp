#include "cli.h"
#include "cliprogress.h"
#include "handlers/modelmanager.h"
#include "handlers/quantizesave.h"

#include <cmath>

namespace tfjs::cli {

namespace {

void printReport(QTextStream &out, const QuantizeResult &result, QuantDType dtype)
{
    int quantized = 0;
    for (const TensorQuantization &t : result.tensors) {
        const QString name = QString::fromStdString(t.name);
        if (!t.quantized) {
            out << "  = " << name << "  kept (" << QString::fromStdString(t.reason) << ")\n";
            continue;
        }
        ++quantized;
        out << "  " << quantDTypeName(dtype) << ' ' << name << "  " << t.bytesBefore << " -> "
            << t.bytesAfter << " bytes  max|err| " << formatNumber(t.maxAbs) << "  mean|err| "
            << formatNumber(t.meanAbs) << "  relL2 " << formatNumber(t.relativeL2) << '\n';
    }
    out << quantized << " of " << result.tensors.size() << " tensors quantized to "
        << quantDTypeName(dtype) << "; weights " << result.bytesBefore << " -> "
        << result.bytesAfter << " bytes\n";
}

} // namespace

Command quantizeCommand()
{
    return { QStringLiteral("quantize"),
        QStringLiteral("Quantize a model's float32 weights as tfjs-converter does and save it."),
        [](QCommandLineParser &parser) {
            parser.setApplicationDescription(QStringLiteral(
                "Quantize a model's float32 weights as tfjs-converter's --quantize_uint8,\n"
                "--quantize_uint16 and --quantize_float16 do, and save the result; int32, bool,\n"
                "string and already quantized tensors are kept. Reports each tensor's error\n"
                "(max and mean |TF.js's decoded value - original|, relative L2)."));
            parser.addPositionalArgument(QStringLiteral("SRC"), QStringLiteral("Source URL."));
            parser.addPositionalArgument(
                QStringLiteral("DST"), QStringLiteral("Destination URL (file://: a folder)."));
            parser.addOption({ QStringLiteral("dtype"),
                QStringLiteral("uint8, uint16 or float16 (required)."), QStringLiteral("DTYPE") });
            parser.addOption({ QStringLiteral("only"),
                QStringLiteral("Only tensors whose names match this glob (repeatable)."),
                QStringLiteral("GLOB") });
            parser.addOption({ QStringLiteral("skip"),
                QStringLiteral("Leave tensors whose names match this glob (repeatable)."),
                QStringLiteral("GLOB") });
            parser.addOption(
                { QStringLiteral("json"), QStringLiteral("Print the report as JSON.") });
            addOverwriteOption(parser);
        },
        [](Context &ctx, const QCommandLineParser &parser) {
            if (parser.positionalArguments().size() != 2)
                return ctx.usageError(parser, QStringLiteral("quantize takes SRC and DST."));
            const auto dtype
                = quantDTypeFromName(parser.value(QStringLiteral("dtype")).toStdString());
            if (!dtype)
                return ctx.usageError(
                    parser, QStringLiteral("--dtype takes uint8, uint16 or float16."));
            QuantizeOptions options;
            options.dtype = *dtype;
            options.only = parser.values(QStringLiteral("only"));
            options.skip = parser.values(QStringLiteral("skip"));
            const QString source = parser.positionalArguments().at(0);
            const QString destination = parser.positionalArguments().at(1);
            if (ModelManager::sameModel(cliUrl(source), cliUrl(destination)))
                return ctx.failWith({ ErrorCode::InvalidArgument,
                    QStringLiteral("Old path and new path are the same: '%1'").arg(source) });
            ctx.noteShardSize(destination);
            QuantizeSaved done;
            auto ran = ctx.runJob(
                QStringLiteral("Quantizing %1").arg(source), [&](JobContext &job) -> Result<void> {
                    // A destination holding a model is refused before anything is loaded.
                    auto quantized = quantizeAndSave(
                        ctx.registry,
                        [&](JobContext &loading) {
                            return ctx.registry.load(cliUrl(source), loading);
                        },
                        cliUrl(destination), options, existingFrom(parser), job);
                    if (!quantized)
                        return fail(quantized.error());
                    done = std::move(*quantized);
                    return {};
                });
            if (!ran)
                return ctx.failWith(withOverwriteHint(ran.error()));
            if (parser.isSet(QStringLiteral("json"))) {
                Json json = done.report.toJson();
                json["dtype"] = quantDTypeName(*dtype);
                Json files = Json::array();
                for (const QString &file : std::as_const(done.saved.files))
                    files.push_back(file.toStdString());
                json["files"] = files;
                ctx.out << QString::fromStdString(json.dump(2)) << '\n';
            } else {
                printReport(ctx.out, done.report, *dtype);
                for (const QString &file : std::as_const(done.saved.files))
                    ctx.out << "wrote " << file << '\n';
            }
            return int(Success);
        } };
}

} // namespace tfjs::cli
