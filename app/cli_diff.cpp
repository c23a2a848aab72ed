#include "cli.h"
#include "cliprogress.h"
#include "inspect/modeldiff.h"

#include <cmath>

namespace tfjs::cli {

namespace {

QString text(const std::optional<Json> &value)
{
    return value ? QString::fromStdString(value->dump()) : QStringLiteral("(absent)");
}

QString specText(const WeightSpec &spec)
{
    return QString::fromStdString(TensorDiff::encoding(spec)) + QLatin1Char(' ')
        + shapeText(spec.shape);
}

void printChanges(QTextStream &out, const std::vector<ValueChange> &changes)
{
    for (const ValueChange &change : changes)
        out << "      " << QString::fromStdString(change.key) << ": " << text(change.before)
            << " -> " << text(change.after) << '\n';
}

void printTopology(QTextStream &out, const TopologyDiff &t)
{
    const QString what
        = t.kindA == "graph-model" ? QStringLiteral("node") : QStringLiteral("layer");
    out << "topology: " << QString::fromStdString(t.kindA) << " vs "
        << QString::fromStdString(t.kindB) << ", "
        << (t.identical() ? QStringLiteral("identical")
                          : QStringLiteral("%1 model change(s), %2 %3 change(s)")
                                .arg(t.model.size())
                                .arg(t.nodes.size())
                                .arg(what))
        << '\n';
    printChanges(out, t.model);
    for (const NodeDiff &node : t.nodes) {
        const QString name = QString::fromStdString(node.name);
        const QString type = QString::fromStdString(node.type);
        switch (node.status) {
        case NodeDiff::Status::Added:
            out << "  + " << what << ' ' << name << " (" << type << ")\n";
            break;
        case NodeDiff::Status::Removed:
            out << "  - " << what << ' ' << name << " (" << type << ")\n";
            break;
        case NodeDiff::Status::Renamed:
            out << "  > " << what << ' ' << name << " -> " << QString::fromStdString(node.newName)
                << " (" << type << ", same weights)\n";
            break;
        case NodeDiff::Status::Changed:
            out << "  ~ " << what << ' ' << name << " (" << type << ")\n";
            break;
        }
        printChanges(out, node.changes);
    }
}

void printTensor(QTextStream &out, const TensorDiff &d)
{
    const QString name = QString::fromStdString(d.name);
    switch (d.status) {
    case TensorDiff::Status::Added:
        out << "  + " << name << "  " << specText(*d.b) << '\n';
        return;
    case TensorDiff::Status::Removed:
        out << "  - " << name << "  " << specText(*d.a) << '\n';
        return;
    case TensorDiff::Status::Renamed:
        out << "  > " << name << " -> " << QString::fromStdString(d.newName) << "  "
            << specText(*d.b) << " (same values)\n";
        return;
    case TensorDiff::Status::Identical:
    case TensorDiff::Status::Changed:
        break;
    }
    out << (d.status == TensorDiff::Status::Identical ? "  = " : "  ~ ") << name << "  "
        << specText(*d.a);
    if (specText(*d.a) != specText(*d.b))
        out << " -> " << specText(*d.b);
    if (!d.compared) {
        out << "  (not compared)\n";
        return;
    }
    out << "  changed " << d.changed << '/' << d.values;
    if (!std::isnan(d.maxAbs))
        out << "  max|a-b| " << formatNumber(d.maxAbs) << "  mean|a-b| " << formatNumber(d.meanAbs) << "  relL2 "
            << formatNumber(d.relativeL2) << "  cos " << formatNumber(d.cosine);
    if (d.nonFinite > 0)
        out << "  non-finite " << d.nonFinite;
    out << '\n';
}

void printDiff(QTextStream &out, const QString &urlA, const QString &urlB, const ModelDiff &diff,
    bool everyTensor)
{
    out << "A: " << urlA << "\nB: " << urlB << '\n';
    printTopology(out, diff.topology);
    const ModelDiff::Totals t = diff.totals();
    out << "tensors: " << t.identical << " identical, " << t.changed << " changed, " << t.added
        << " added, " << t.removed << " removed, " << t.renamed << " renamed\n";
    for (const TensorDiff &d : diff.tensors)
        if (everyTensor || d.status != TensorDiff::Status::Identical)
            printTensor(out, d);
    out << "values: " << t.changedValues << " of " << t.values << " changed  max|a-b| "
        << formatNumber(t.maxAbs) << "  mean|a-b| " << formatNumber(t.meanAbs) << "  relL2 " << formatNumber(t.relativeL2)
        << '\n';
    out << (diff.identical() ? "identical\n" : "different\n");
}

} // namespace

Command diffCommand()
{
    return { QStringLiteral("diff"),
        QStringLiteral("Compare two models: topology and weights (exit 0 identical, 1 different)."),
        [](QCommandLineParser &parser) {
            parser.setApplicationDescription(QStringLiteral(
                "Compare two models: topology changes (layers or nodes added, removed, renamed\n"
                "with the same weights, changed config keys and shapes) and weights matched by\n"
                "name, compared as TF.js decodes them (a quantized B against a float A).\n"
                "Exit status: 0 identical, 1 different or a failure (a failure prints\n"
                "'tfjs-model: <error>' on stderr), 2 usage error."));
            parser.addPositionalArgument(QStringLiteral("A"), QStringLiteral("The first model."));
            parser.addPositionalArgument(QStringLiteral("B"), QStringLiteral("The second model."));
            parser.addOption(
                { QStringLiteral("json"), QStringLiteral("Print JSON (every tensor).") });
            parser.addOption({ QStringLiteral("tensor"),
                QStringLiteral("Only this tensor (repeatable); lists it even when identical."),
                QStringLiteral("NAME") });
            parser.addOption({ QStringLiteral("threads"),
                QStringLiteral("Worker threads (default: one per core)."), QStringLiteral("N"),
                QStringLiteral("0") });
        },
        [](Context &ctx, const QCommandLineParser &parser) {
            if (parser.positionalArguments().size() != 2)
                return ctx.usageError(parser, QStringLiteral("diff takes two URLs, A and B."));
            DiffOptions options;
            bool ok = false;
            options.threads = parser.value(QStringLiteral("threads")).toInt(&ok);
            if (!ok || options.threads < 0 || options.threads > 1024)
                return ctx.usageError(
                    parser, QStringLiteral("--threads takes a number from 0 to 1024."));
            options.tensors = parser.values(QStringLiteral("tensor"));
            const QString urlA = parser.positionalArguments().at(0);
            const QString urlB = parser.positionalArguments().at(1);
            auto a = ctx.load(urlA);
            if (!a)
                return ctx.failWith(a.error());
            auto b = ctx.load(urlB);
            if (!b)
                return ctx.failWith(b.error());
            ModelDiff diff;
            auto ran = ctx.runJob(QStringLiteral("Comparing %1 with %2").arg(urlA, urlB),
                [&](JobContext &job) -> Result<void> {
                    auto computed = diffModels(*a, *b, options, job);
                    if (!computed)
                        return fail(computed.error());
                    diff = std::move(*computed);
                    return {};
                });
            if (!ran)
                return ctx.failWith(ran.error());
            if (parser.isSet(QStringLiteral("json"))) {
                Json json = diff.toJson();
                json["a"] = urlA.toStdString();
                json["b"] = urlB.toStdString();
                ctx.out << QString::fromStdString(json.dump(2)) << '\n';
            } else {
                printDiff(ctx.out, urlA, urlB, diff, !options.tensors.isEmpty());
            }
            return int(diff.identical() ? Success : Failure);
        } };
}

} // namespace tfjs::cli
