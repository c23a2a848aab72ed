#include "cli.h"
#include "cliprogress.h"
#include "format/modeloverview.h"

namespace tfjs::cli {

namespace {

QString jsonText(const std::optional<Json> &value)
{
    if (!value)
        return QStringLiteral("(absent)");
    if (value->is_string())
        return QString::fromStdString(value->get<std::string>());
    return QString::fromStdString(stringify(*value));
}

void printOverview(QTextStream &out, const QString &url, const ModelOverview &o)
{
    out << "model:          " << url << '\n';
    out << "format:         " << o.format << (o.formatDeclared ? "" : " (inferred)") << '\n';
    out << "generatedBy:    " << jsonText(o.generatedBy) << '\n';
    out << "convertedBy:    " << jsonText(o.convertedBy) << '\n';
    out << "topology:       " << o.topologyKind;
    if (o.layerCount >= 0)
        out << ", " << o.layerCount << " layers";
    if (o.nodeCount >= 0)
        out << ", " << o.nodeCount << " nodes";
    if (o.functionCount > 0)
        out << ", " << o.functionCount << " functions";
    out << '\n';
    out << "tensors:        " << o.tensorCount;
    if (o.optimizerTensorCount > 0)
        out << " (" << o.optimizerTensorCount << " optimizer)";
    out << '\n';
    std::int64_t total = 0;
    QStringList parts;
    for (const auto &[dtype, count] : o.parametersByDtype) {
        parts << QStringLiteral("%1 %2").arg(QString::fromStdString(dtype)).arg(count);
        total += count;
    }
    out << "parameters:     " << total;
    if (!parts.isEmpty())
        out << " (" << parts.join(QStringLiteral(", ")) << ")";
    out << '\n';
    if (!o.quantizedByDtype.empty()) {
        QStringList quantized;
        for (const auto &[dtype, count] : o.quantizedByDtype)
            quantized << QStringLiteral("%1 %2").arg(QString::fromStdString(dtype)).arg(count);
        out << "quantized:      " << quantized.join(QStringLiteral(", ")) << " tensors\n";
    }
    int shards = 0;
    for (const auto &group : o.groups)
        shards += int(group.size());
    out << "weights:        " << o.groups.size() << " groups, " << shards << " shards, "
        << o.info.weightDataBytes << " bytes (" << formatBytes(o.info.weightDataBytes) << ")\n";
    for (std::size_t g = 0; g < o.groups.size(); ++g) {
        for (const auto &shard : o.groups[g])
            out << "  group " << g + 1 << ": " << shard.path << "  " << shard.bytes << " bytes\n";
    }
    QStringList extras;
    if (o.hasTrainingConfig)
        extras << QStringLiteral("trainingConfig");
    if (o.hasUserDefinedMetadata)
        extras << QStringLiteral("userDefinedMetadata");
    if (o.hasSignature)
        extras << QStringLiteral("signature");
    if (o.hasInitializer)
        extras << QStringLiteral("modelInitializer");
    if (!extras.isEmpty())
        out << "also:           " << extras.join(QStringLiteral(", ")) << '\n';
    out << "artifacts info: modelTopologyBytes=" << o.info.modelTopologyBytes
        << " weightSpecsBytes=" << o.info.weightSpecsBytes
        << " weightDataBytes=" << o.info.weightDataBytes << '\n';
}

} // namespace

Command infoCommand()
{
    return {QStringLiteral("info"),
            QStringLiteral("Describe a model from its JSON alone (reads no weight bytes)."),
            [](QCommandLineParser &parser) {
                parser.addPositionalArgument(QStringLiteral("URL"), QStringLiteral("The model."));
                parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
            },
            [](Context &ctx, const QCommandLineParser &parser) {
                if (parser.positionalArguments().size() != 1)
                    return ctx.usageError(parser, QStringLiteral("info takes one URL."));
                const QString url = parser.positionalArguments().at(0);
                auto artifacts = ctx.load(url, LoadOptions::withoutWeights());
                if (!artifacts)
                    return ctx.failWith(artifacts.error());
                const ModelOverview overview = overviewOf(*artifacts);
                if (parser.isSet(QStringLiteral("json"))) {
                    Json json = overview.toJson();
                    json["url"] = url.toStdString();
                    ctx.out << QString::fromStdString(json.dump(2)) << '\n';
                } else {
                    printOverview(ctx.out, url, overview);
                }
                return int(Success);
            }};
}

} // namespace tfjs::cli
