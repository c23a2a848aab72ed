#include "inspect/statsscheduler.h"
#include "base/job.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QTest>

#include <limits>
#include <mutex>
#include <random>

using namespace tfjs;
using namespace tfjs::stats;
using namespace tfjs::test;

namespace {

QByteArray normals(int n, float mean, float sd, unsigned seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> dist(mean, sd);
    QByteArray bytes;
    for (int i = 0; i < n; ++i)
        bytes += f32({ dist(rng) });
    return bytes;
}

// Float32 tensors of `values` normal values each (and, with `mixed`, a NaN, a constant, an
// int32, a quantized and an empty tensor), their data in memory or in shard files.
struct Model
{
    std::vector<WeightSpec> specs;
    QByteArray bytes;

    void add(const QString &json, const QByteArray &data)
    {
        specs.push_back(specOf(json.toStdString()));
        bytes += data;
    }

    static Model make(int tensors, int values, bool mixed)
    {
        Model m;
        for (int t = 0; t < tensors; ++t)
            m.add(QStringLiteral(R"({"name":"w%1","shape":[%2],"dtype":"float32"})")
                      .arg(t)
                      .arg(values),
                normals(values, 0.01f * float(t), 1.0f, unsigned(t + 1)));
        if (!mixed)
            return m;
        m.add(QStringLiteral(R"({"name":"nan","shape":[3],"dtype":"float32"})"),
            f32({ 1, std::numeric_limits<float>::quiet_NaN(), 2 }));
        m.add(QStringLiteral(R"({"name":"flat","shape":[3000],"dtype":"float32"})"),
            f32({ 2.5f }).repeated(3000));
        m.add(QStringLiteral(R"({"name":"ids","shape":[4],"dtype":"int32"})"), i32({ -7, 0, 9, 1 }));
        QByteArray codes;
        for (int i = 0; i < 5000; ++i)
            codes += char((i * 37) & 0xff);
        m.add(QStringLiteral(R"({"name":"q","shape":[5000],"dtype":"float32",
                    "quantization":{"dtype":"uint8","min":-1.27,"scale":0.01}})"),
            codes);
        m.add(QStringLiteral(R"({"name":"empty","shape":[0],"dtype":"float32"})"), {});
        return m;
    }

    WeightData data(const QString &dir, qint64 shardBytes) const
    {
        if (dir.isEmpty())
            return WeightData::fromBytes(bytes);
        WeightData out;
        for (qint64 at = 0, n = 1; at < bytes.size(); at += shardBytes, ++n) {
            const QString path = QStringLiteral("%1/shard%2.bin").arg(dir).arg(n);
            const qint64 size = std::min(shardBytes, bytes.size() - at);
            if (!writeFile(path, bytes.mid(at, size)))
                qFatal("cannot write %s", qPrintable(path));
            out.appendFile(path, 0, size, QFileInfo(path).fileName());
        }
        return out;
    }

    std::vector<Plan> plans(const ByteSource &source, const WeightData &data, qint64 chunkBytes,
        qint64 holdBytes) const
    {
        const auto layout = checkWeightLayout(specs, data);
        if (!layout)
            qFatal("layout: %s", qPrintable(layout.error().message));
        std::vector<Plan> out;
        for (std::size_t i = 0; i < specs.size(); ++i)
            out.push_back(*planTensor(i, specs[i], (*layout)[i], source, chunkBytes, holdBytes));
        return out;
    }
};

// A plan's results as text with every bit of every double (equal text: equal results).
std::string results(const std::vector<Plan> &plans)
{
    std::string out;
    const auto number = [&](double v) { out += QByteArray::number(v, 'g', 17).toStdString() + ' '; };
    for (const Plan &plan : plans) {
        const Moments &m = plan.moments;
        out += std::to_string(m.count) + ' ' + std::to_string(m.finite) + ' '
            + std::to_string(m.nan) + ' ' + std::to_string(m.zeros) + ' ';
        number(m.min);
        number(m.max);
        number(m.sum.value());
        number(m.sumAbs.value());
        number(m.sumSquares.value());
        number(plan.m2.value());
        out += plan.constant ? "constant " : "";
        for (const std::int64_t c : plan.counts)
            out += std::to_string(c) + ',';
        out += '\n';
    }
    return out;
}

} // namespace

class TestStatsScheduler : public QObject
{
    Q_OBJECT

private slots:
    void sameResultsWhateverTheWorkers_data();
    void sameResultsWhateverTheWorkers();
    void noPlans();
    void cancelStopsWithinAChunkPerWorker_data();
    void cancelStopsWithinAChunkPerWorker();
    void firstReadErrorIsTheResult();
};

void TestStatsScheduler::sameResultsWhateverTheWorkers_data()
{
    QTest::addColumn<bool>("files");
    QTest::addColumn<qint64>("chunkBytes");
    QTest::addColumn<qint64>("holdBytes");
    QTest::addColumn<int>("bins");
    QTest::newRow("in memory, held") << false << qint64(4096) << qint64(64 << 20) << 20;
    QTest::newRow("shards, held") << true << qint64(4096) << qint64(64 << 20) << 20;
    QTest::newRow("shards, hold budget of one tensor") << true << qint64(2048) << qint64(40000) << 5;
    QTest::newRow("shards, nothing held") << true << qint64(4096) << qint64(0) << 20;
    QTest::newRow("one item per tensor") << false << qint64(1 << 20) << qint64(64 << 20) << 20;
    QTest::newRow("no histograms") << true << qint64(4096) << qint64(64 << 20) << 0;
}

void TestStatsScheduler::sameResultsWhateverTheWorkers()
{
    QFETCH(bool, files);
    QFETCH(qint64, chunkBytes);
    QFETCH(qint64, holdBytes);
    QFETCH(int, bins);
    const Model m = Model::make(6, 10000, true);
    QTemporaryDir dir;
    const WeightData data = m.data(files ? dir.path() : QString(), 30001);
    const ByteSource source(data);
    std::string first;
    for (const int threads : { 1, 2, 4 }) {
        std::vector<Plan> plans = m.plans(source, data, chunkBytes, holdBytes);
        JobContext ctx;
        ctx.setStage(QStringLiteral("stats"), m.bytes.size(), int(plans.size()));
        const auto ran = runPlans(plans, source, bins, holdBytes, threads, ctx);
        QVERIFY2(ran.has_value(), qPrintable(ran ? QString() : ran.error().message));
        // Every byte counted once, every tensor done.
        QCOMPARE(ctx.progress().bytesDone, qint64(m.bytes.size()));
        QCOMPARE(ctx.progress().itemsDone, int(plans.size()));
        for (const Plan &plan : plans) {
            QCOMPARE(plan.moments.count, plan.values);
            for (const Item &item : plan.items)
                QVERIFY(!item.held.data); // released when the tensor is done
        }
        const std::string text = results(plans);
        if (first.empty())
            first = text;
        else
            QCOMPARE(text, first);
    }
}

void TestStatsScheduler::noPlans()
{
    std::vector<Plan> plans;
    const ByteSource source(WeightData {});
    JobContext ctx;
    QVERIFY(runPlans(plans, source, 20, 0, 4, ctx).has_value());
}

void TestStatsScheduler::cancelStopsWithinAChunkPerWorker_data()
{
    QTest::addColumn<int>("threads");
    QTest::addColumn<qint64>("chunkBytes");
    QTest::newRow("1 worker") << 1 << qint64(4096);
    QTest::newRow("3 workers") << 3 << qint64(4096);
    QTest::newRow("4 workers, 64 KiB chunks") << 4 << qint64(65536);
}

void TestStatsScheduler::cancelStopsWithinAChunkPerWorker()
{
    // Cancelled at the first progress report of a worker (without a stage set, the first report
    // is forwarded at once): each worker may end the item it holds, none takes another.
    QFETCH(int, threads);
    QFETCH(qint64, chunkBytes);
    const Model m = Model::make(8, 200000, false);
    const WeightData data = m.data({}, 0);
    const ByteSource source(data);
    std::vector<Plan> plans = m.plans(source, data, chunkBytes, 64 << 20);
    std::mutex mutex;
    qint64 atCancel = -1;
    JobContext *self = nullptr;
    JobContext ctx([&](const Progress &p) {
        std::lock_guard lock(mutex);
        if (atCancel < 0 && p.bytesDone > 0) {
            atCancel = p.bytesDone;
            self->cancel();
        }
    });
    self = &ctx;
    const auto ran = runPlans(plans, source, 20, 64 << 20, threads, ctx);
    QVERIFY(!ran.has_value());
    QVERIFY(ran.error().isCancelled());
    QVERIFY(atCancel > 0);
    const qint64 after = ctx.progress().bytesDone - atCancel;
    QVERIFY2(after <= qint64(threads) * chunkBytes,
        qPrintable(QStringLiteral("%1 bytes after the cancel (%2 at it) with %3 workers of %4-byte "
                                  "chunks, of %5")
                       .arg(after)
                       .arg(atCancel)
                       .arg(threads)
                       .arg(chunkBytes)
                       .arg(m.bytes.size())));
    QCOMPARE(ctx.progress().itemsDone, 0); // no tensor finished
}

void TestStatsScheduler::firstReadErrorIsTheResult()
{
    const Model m = Model::make(4, 10000, false);
    QTemporaryDir dir;
    const WeightData data = m.data(dir.path(), 40000);
    const ByteSource source(data);
    const QString third = dir.filePath(QStringLiteral("shard3.bin"));
    QVERIFY(QFile::remove(third));
    for (const int threads : { 1, 3 }) {
        JobContext ctx;
        std::vector<Plan> fresh = m.plans(source, data, 4096, 0);
        const auto ran = runPlans(fresh, source, 20, 0, threads, ctx);
        QVERIFY(!ran.has_value());
        QCOMPARE(ran.error().code, ErrorCode::Io);
        QVERIFY2(ran.error().message.startsWith(
                     QStringLiteral("Cannot read weight file '%1': ").arg(third)),
            qPrintable(ran.error().message));
        QCOMPARE(ran.error().shard, QStringLiteral("shard3.bin"));
        QVERIFY(ctx.progress().itemsDone < int(fresh.size()));
    }
}

QTEST_GUILESS_MAIN(TestStatsScheduler)
#include "tst_statsscheduler.moc"
