// Benchmark (not a test) of a large indexeddb:// store. Usage:
//   scale-bench TFJS_MODEL [WORK_DIR] [COUNT...]        (default counts: 10000 100000)
// For each COUNT: fills a store in WORK_DIR (kept there for the GUI bench and for reuse: a store
// that already holds COUNT models is not filled again) with COUNT small models through the
// core's IndexedDbStore (names in folders of 100: "team7/run42/model-000123"; 64 distinct weight
// blobs, deduplicated), then runs `tfjs-model list indexeddb:// --store DIR` (and `--json`) as a
// process 5 times and prints the median wall time and the largest peak RSS (wait4's ru_maxrss),
// against the issue's targets: list under 200 ms at 10,000 models and under 2 s at 100,000;
// memory growing by less than 1 KiB per listed model (the slope between the two counts, so the
// process's fixed cost does not count). CPU time (user + system) is printed beside the wall
// time: on a machine busy with other work it is the steadier figure. Exits 0 whether or not
// targets are met.
#include "base/job.h"
#include "store/indexeddbstore.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTextStream>

#include <algorithm>
#include <cstring>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace tfjs;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QString modelName(int i)
{
    return QStringLiteral("team%1/run%2/model-%3")
        .arg(i % 10)
        .arg(i / 100 % 100)
        .arg(i, 6, 10, QLatin1Char('0'));
}

ModelArtifacts smallModel(int i)
{
    ModelArtifacts a;
    a.modelTopology = Json::parse(R"({"class_name":"Sequential","config":{"name":"scale",)"
                                  R"("layers":[{"class_name":"Dense","config":{"name":"dense",)"
                                  R"("units":4,"batch_input_shape":[null,4]}}]}})");
    a.format = Json("layers-model");
    a.generatedBy = Json("TensorFlow.js tfjs-layers v4.22.0");
    a.convertedBy = Json(nullptr);
    WeightSpec kernel;
    kernel.name = "dense/kernel";
    kernel.shape = {4, 4};
    WeightSpec bias;
    bias.name = "dense/bias";
    bias.shape = {4};
    a.weightSpecs = std::vector<WeightSpec>{kernel, bias};
    QByteArray bytes(20 * 4, Qt::Uninitialized);
    QRandomGenerator random(quint32(i % 64));
    for (qsizetype at = 0; at < bytes.size(); at += 4) {
        const float value = float(random.generateDouble() - 0.5);
        std::memcpy(bytes.data() + at, &value, 4);
    }
    a.weightData = WeightData::fromBytes(bytes);
    return a;
}

// Fills `dir` up to `count` models; returns false (with a message) on failure.
bool fill(const QString &dir, int count)
{
    auto store = IndexedDbStore::open(dir, IndexedDbStore::Access::Write);
    if (!store) {
        out() << "cannot open " << dir << ": " << store.error().toString() << Qt::endl;
        return false;
    }
    auto listed = (*store)->listModels();
    const int have = listed ? int(listed->size()) : 0;
    if (have >= count) {
        out() << "  " << dir << " holds " << have << " models already" << Qt::endl;
        return true;
    }
    QElapsedTimer timer;
    timer.start();
    for (int i = have; i < count; ++i) {
        auto saved = (*store)->saveModel(modelName(i), smallModel(i), nullptr, Durability::Relaxed,
                                         Existing::Replace);
        if (!saved) {
            out() << "save " << i << " failed: " << saved.error().toString() << Qt::endl;
            return false;
        }
        if ((i + 1) % 10000 == 0)
            out() << "  " << (i + 1) << " models, " << timer.elapsed() / 1000.0 << " s" << Qt::endl;
    }
    out() << "  filled " << (count - have) << " models in " << timer.elapsed() / 1000.0 << " s"
          << Qt::endl;
    return true;
}

struct Run
{
    double seconds = 0;
    double cpuSeconds = 0; // user + system: what a busy machine's other work does not inflate
    long maxRssKiB = 0;
    bool ok = false;
};

// Runs `program args` with stdout to /dev/null; wall time and peak RSS from wait4.
Run runProcess(const QString &program, const QStringList &args)
{
    std::vector<QByteArray> storage;
    storage.push_back(program.toLocal8Bit());
    for (const QString &arg : args)
        storage.push_back(arg.toLocal8Bit());
    std::vector<char *> argv;
    for (QByteArray &arg : storage)
        argv.push_back(arg.data());
    argv.push_back(nullptr);
    QElapsedTimer timer;
    timer.start();
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int devnull = ::open("/dev/null", O_WRONLY);
        ::dup2(devnull, STDOUT_FILENO);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    Run run;
    int status = 0;
    rusage usage{};
    if (pid < 0 || ::wait4(pid, &status, 0, &usage) != pid)
        return run;
    run.seconds = timer.nsecsElapsed() / 1e9;
    run.maxRssKiB = usage.ru_maxrss;
    run.cpuSeconds = double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
                     + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    run.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    return run;
}

struct Figures
{
    double medianSeconds = 0;
    double medianCpuSeconds = 0;
    long maxRssKiB = 0;
};

Figures measure(const QString &cli, const QStringList &args)
{
    std::vector<double> times;
    std::vector<double> cpu;
    Figures figures;
    for (int i = 0; i < 5; ++i) {
        const Run run = runProcess(cli, args);
        if (!run.ok) {
            out() << "  `tfjs-model " << args.join(QLatin1Char(' ')) << "` failed" << Qt::endl;
            return figures;
        }
        times.push_back(run.seconds);
        cpu.push_back(run.cpuSeconds);
        figures.maxRssKiB = std::max(figures.maxRssKiB, run.maxRssKiB);
    }
    std::sort(times.begin(), times.end());
    std::sort(cpu.begin(), cpu.end());
    figures.medianSeconds = times[times.size() / 2];
    figures.medianCpuSeconds = cpu[cpu.size() / 2];
    return figures;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    if (args.isEmpty()) {
        QTextStream(stderr) << "usage: scale-bench TFJS_MODEL [WORK_DIR] [COUNT...]\n";
        return 2;
    }
    const QString cli = QFileInfo(args.takeFirst()).absoluteFilePath();
    const QString work = !args.isEmpty() && !args.front().at(0).isDigit()
                             ? args.takeFirst()
                             : QDir::tempPath() + QStringLiteral("/tfjs-scale-bench");
    std::vector<int> counts;
    for (const QString &arg : std::as_const(args))
        counts.push_back(arg.toInt());
    if (counts.empty())
        counts = {10000, 100000};

    // `tfjs-model --version`: the process's own cost, to set the listing apart.
    const Figures idle = measure(cli, {QStringLiteral("--version")});
    out() << "tfjs-model --version: " << idle.medianSeconds * 1000 << " ms (CPU "
          << idle.medianCpuSeconds * 1000 << " ms), peak RSS "
          << idle.maxRssKiB / 1024.0 << " MiB" << Qt::endl;
    std::vector<std::pair<int, Figures>> plain;
    for (const int count : counts) {
        const QString dir = work + QStringLiteral("/store-%1").arg(count);
        out() << "== a store of " << count << " models in " << dir << Qt::endl;
        if (!QDir().mkpath(dir) || !fill(dir, count))
            return 1;
        const QStringList list{QStringLiteral("list"), QStringLiteral("indexeddb://"),
                               QStringLiteral("--store"), dir, QStringLiteral("--no-progress")};
        const Figures text = measure(cli, list);
        const Figures json = measure(cli, QStringList(list) << QStringLiteral("--json"));
        const double target = count <= 10000 ? 0.2 : 2.0 * count / 100000;
        out() << "  list:        " << text.medianSeconds * 1000 << " ms (target < " << target * 1000
              << " ms; CPU " << text.medianCpuSeconds * 1000 << " ms), peak RSS "
              << text.maxRssKiB / 1024.0 << " MiB" << Qt::endl;
        out() << "  list --json: " << json.medianSeconds * 1000 << " ms (CPU "
              << json.medianCpuSeconds * 1000 << " ms), peak RSS " << json.maxRssKiB / 1024.0
              << " MiB" << Qt::endl;
        plain.emplace_back(count, text);
    }
    for (std::size_t i = 1; i < plain.size(); ++i) {
        const auto &[a, fa] = plain[i - 1];
        const auto &[b, fb] = plain[i];
        const double perModel = double(fb.maxRssKiB - fa.maxRssKiB) * 1024 / (b - a);
        out() << "memory per listed model (" << a << " -> " << b << "): " << perModel
              << " bytes (target < 1024)" << Qt::endl;
    }
    return 0;
}
