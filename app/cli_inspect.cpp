#include "cli.h"
#include "cliprogress.h"
#include "inspect/modelsummary.h"
#include "inspect/weightstats.h"

#include <cmath>

namespace tfjs::cli {

namespace {

const QString kJson = QStringLiteral("json");

QString pad(const QString &text, int width)
{
    return width < 0 ? text.leftJustified(-width) : text.rightJustified(width);
}

void printValueStats(QTextStream &out, const ValueStats &v, const QString &indent)
{
    out << indent << "values:   " << v.count << " (" << v.finite << " finite, " << v.nan << " NaN, "
        << v.posInf << " +Inf, " << v.negInf << " -Inf)\n";
    out << indent << "zeros:    " << v.zeros << " (" << formatNumber(100.0 * v.sparsity()) << "%)\n";
    out << indent << "min/max:  " << formatNumber(v.min) << " / " << formatNumber(v.max) << '\n';
    out << indent << "mean:     " << formatNumber(v.mean) << "   std: " << formatNumber(v.std) << '\n';
    out << indent << "mean|x|:  " << formatNumber(v.meanAbs) << "   L2: " << formatNumber(v.l2) << '\n';
}

void printHistogram(QTextStream &out, const Histogram &h)
{
    std::int64_t peak = 0;
    for (const std::int64_t count : h.counts)
        peak = std::max(peak, count);
    const int n = int(h.counts.size());
    const double width = (h.max - h.min) / n;
    for (int k = 0; k < n; ++k) {
        const double from = h.min + k * width;
        const double to = k + 1 == n ? h.max : h.min + (k + 1) * width;
        const int bar = peak > 0 ? int(std::lround(40.0 * double(h.counts[std::size_t(k)]) / double(peak)))
                                 : 0;
        out << "    [" << pad(formatNumber(from), 12) << ", " << pad(formatNumber(to), 12) << (k + 1 == n ? "] " : ") ")
            << pad(QString::number(h.counts[std::size_t(k)]), 10) << ' '
            << QString(bar, QLatin1Char('#')) << '\n';
    }
}

void printTensorDetail(QTextStream &out, const TensorStats &t)
{
    out << QString::fromStdString(t.name) << "  " << dtypeName(t.dtype) << ' ' << shapeText(t.shape);
    if (t.group)
        out << "  group " << QString::fromStdString(*t.group);
    out << "  bytes " << t.bytes << " at " << t.offset << '\n';
    if (t.quantization) {
        out << "  quantization: " << quantDTypeName(t.quantization->dtype);
        if (t.quantization->scale)
            out << "  scale " << formatNumber(*t.quantization->scale);
        if (t.quantization->min)
            out << "  min " << formatNumber(*t.quantization->min);
        out << "  step " << formatNumber(t.step) << '\n';
    }
    if (!t.numeric) {
        out << "  strings:  " << t.values.count << '\n';
        return;
    }
    printValueStats(out, t.values, QStringLiteral("  "));
    if (t.histogram) {
        out << "  histogram:\n";
        printHistogram(out, *t.histogram);
    }
}

void printStats(QTextStream &out, const QString &url, const WeightStats &s, bool detail)
{
    out << "model:    " << url << '\n';
    out << "weights:  " << s.tensors.size() << " tensors, " << s.bytes << " bytes ("
        << formatBytes(s.bytes) << ")\n";
    if (detail) {
        for (const TensorStats &t : s.tensors) {
            out << '\n';
            printTensorDetail(out, t);
        }
    } else if (!s.tensors.empty()) {
        int nameWidth = 6;
        for (const TensorStats &t : s.tensors)
            nameWidth = std::max(nameWidth, int(QString::fromStdString(t.name).size()));
        nameWidth = std::min(nameWidth, 48);
        out << '\n'
            << pad(QStringLiteral("tensor"), -nameWidth) << "  " << pad(QStringLiteral("dtype"), -9)
            << pad(QStringLiteral("values"), 11) << pad(QStringLiteral("min"), 13)
            << pad(QStringLiteral("max"), 13) << pad(QStringLiteral("mean"), 13)
            << pad(QStringLiteral("std"), 13) << pad(QStringLiteral("zeros%"), 9)
            << pad(QStringLiteral("NaN"), 7) << pad(QStringLiteral("Inf"), 7) << '\n';
        for (const TensorStats &t : s.tensors) {
            QString dtype = QString::fromLatin1(dtypeName(t.dtype));
            if (t.quantization)
                dtype = QString::fromLatin1(quantDTypeName(t.quantization->dtype)) + QLatin1Char('>')
                        + dtype.left(1);
            const ValueStats &v = t.values;
            out << pad(QString::fromStdString(t.name), -nameWidth) << "  " << pad(dtype, -9)
                << pad(QString::number(v.count), 11);
            if (t.numeric) {
                out << pad(formatNumber(v.min), 13) << pad(formatNumber(v.max), 13) << pad(formatNumber(v.mean), 13)
                    << pad(formatNumber(v.std), 13) << pad(QString::number(100.0 * v.sparsity(), 'f', 2), 9)
                    << pad(QString::number(v.nan), 7) << pad(QString::number(v.posInf + v.negInf), 7);
            } else {
                out << pad(QStringLiteral("(strings)"), 13);
            }
            out << '\n';
        }
    }
    out << "\nmodel (" << s.modelTensors << " float32 tensors):\n";
    printValueStats(out, s.model, QStringLiteral("  "));
    if (s.optimizerTensors > 0) {
        out << "optimizer (" << s.optimizerTensors << " float32 tensors):\n";
        printValueStats(out, s.optimizer, QStringLiteral("  "));
    }
}

Command summaryCommand()
{
    return {QStringLiteral("summary"),
            QStringLiteral("Show a model's topology: layers, graph ops or weight groups, and totals."),
            [](QCommandLineParser &parser) {
                parser.addPositionalArgument(QStringLiteral("URL"), QStringLiteral("The model."));
                parser.addOption({kJson, QStringLiteral("Print JSON (schema: docs/stats-json.md).")});
            },
            [](Context &ctx, const QCommandLineParser &parser) {
                if (parser.positionalArguments().size() != 1)
                    return ctx.usageError(parser, QStringLiteral("summary takes one URL."));
                const QString url = parser.positionalArguments().at(0);
                auto artifacts = ctx.load(url, LoadOptions::withoutWeights());
                if (!artifacts)
                    return ctx.failWith(artifacts.error());
                const ModelSummary summary = summarizeModel(*artifacts);
                if (parser.isSet(kJson)) {
                    Json json = summary.toJson();
                    json["url"] = url.toStdString();
                    ctx.out << QString::fromStdString(json.dump(2)) << '\n';
                } else {
                    ctx.out << "model:          " << url << '\n' << summary.toText();
                }
                return int(Success);
            }};
}

Command statsCommand()
{
    return {QStringLiteral("stats"),
            QStringLiteral("Compute weight statistics (min/max/mean/std, zeros, NaN/Inf, histogram)."),
            [](QCommandLineParser &parser) {
                parser.addPositionalArgument(QStringLiteral("URL"), QStringLiteral("The model."));
                parser.addOption({kJson, QStringLiteral("Print JSON (schema: docs/stats-json.md).")});
                parser.addOption({QStringLiteral("bins"),
                                  QStringLiteral("Histogram bins per tensor (0-100000, default 20)."),
                                  QStringLiteral("N"), QStringLiteral("20")});
                parser.addOption({QStringLiteral("tensor"),
                                  QStringLiteral("Only this tensor (repeatable); prints its histogram."),
                                  QStringLiteral("NAME")});
                parser.addOption({QStringLiteral("threads"),
                                  QStringLiteral("Worker threads (default: one per core)."),
                                  QStringLiteral("N"), QStringLiteral("0")});
            },
            [](Context &ctx, const QCommandLineParser &parser) {
                if (parser.positionalArguments().size() != 1)
                    return ctx.usageError(parser, QStringLiteral("stats takes one URL."));
                StatsOptions options;
                bool ok = false;
                options.bins = parser.value(QStringLiteral("bins")).toInt(&ok);
                if (!ok || options.bins < 0 || options.bins > StatsOptions::kMaxBins)
                    return ctx.usageError(parser, QStringLiteral("--bins takes a number from 0 to %1.")
                                                      .arg(StatsOptions::kMaxBins));
                options.threads = parser.value(QStringLiteral("threads")).toInt(&ok);
                if (!ok || options.threads < 0 || options.threads > 1024)
                    return ctx.usageError(parser, QStringLiteral("--threads takes a number from 0 to 1024."));
                options.tensors = parser.values(QStringLiteral("tensor"));
                const QString url = parser.positionalArguments().at(0);
                auto artifacts = ctx.load(url);
                if (!artifacts)
                    return ctx.failWith(artifacts.error());
                WeightStats stats;
                auto ran = ctx.runJob(QStringLiteral("Statistics of %1").arg(url),
                                      [&](JobContext &job) -> Result<void> {
                                          auto computed = computeWeightStats(*artifacts, options, job);
                                          if (!computed)
                                              return fail(computed.error());
                                          stats = std::move(*computed);
                                          return {};
                                      });
                if (!ran)
                    return ctx.failWith(ran.error());
                if (parser.isSet(kJson)) {
                    Json json = stats.toJson();
                    json["url"] = url.toStdString();
                    ctx.out << QString::fromStdString(json.dump(2)) << '\n';
                } else {
                    printStats(ctx.out, url, stats, !options.tensors.isEmpty());
                }
                return int(Success);
            }};
}

} // namespace

QList<Command> inspectCommands()
{
    return {summaryCommand(), statsCommand()};
}

} // namespace tfjs::cli
