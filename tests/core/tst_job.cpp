// JobContext (progress, cancellation) and Job (work on the thread pool, signals on the owner's
// thread, cancel, a destructor that waits).
#include "base/job.h"
#include "testutil.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>
#include <chrono>
#include <thread>

using namespace tfjs;
using namespace std::chrono_literals;

// The outcome the i-th finished() signal handed over.
Result<void> outcomeOf(const QSignalSpy &finished, qsizetype i = 0)
{
    return finished.at(i).front().value<Result<void>>();
}

class TestJob : public QObject
{
    Q_OBJECT

private slots:
    void contextProgressThrottled();
    void contextStageResets();
    void contextFinalUpdateAlwaysDelivered();

    void successSignals();
    void progressOnOwnerThread();
    void lastProgressDeliveredWhenWorkEnds();
    void errorIsReported();
    void cancelMakesErrorCancelled_data();
    void cancelMakesErrorCancelled();
    void destructorWaits();
    void destructorCancels();
    void deletedBeforeFinishedIsDelivered();
    void startWhileRunningIsIgnored();
    void restartAfterFinish();
    void valueWorkHandsTheValue();
    void valueWorkHandsTheError();
    void valueWorkCancelled();
};

void TestJob::contextProgressThrottled()
{
    std::vector<Progress> reports;
    JobContext ctx([&reports](const Progress &p) { reports.push_back(p); });
    QElapsedTimer timer;
    timer.start();
    ctx.setStage(QStringLiteral("Copying"), 100000);
    for (int i = 0; i < 99999; ++i)
        ctx.addBytes(1);
    const qint64 elapsed = timer.elapsed();
    // setStage is always published; after that at most one report per ~50 ms.
    QVERIFY2(qint64(reports.size()) <= 2 + elapsed / 50,
             qPrintable(QStringLiteral("%1 reports in %2 ms").arg(reports.size()).arg(elapsed)));
    QCOMPARE(reports.front().bytesDone, 0);
    QCOMPARE(reports.front().bytesTotal, 100000);
    QCOMPARE(reports.front().stage, QStringLiteral("Copying"));
    QCOMPARE(ctx.progress().bytesDone, 99999);
}

void TestJob::contextStageResets()
{
    JobContext ctx;
    ctx.setStage(QStringLiteral("one"), 10, 3);
    ctx.addBytes(4);
    ctx.addItems(2);
    QCOMPARE(ctx.progress().bytesDone, 4);
    QCOMPARE(ctx.progress().itemsDone, 2);
    ctx.setStage(QStringLiteral("two"), 20);
    const Progress p = ctx.progress();
    QCOMPARE(p.stage, QStringLiteral("two"));
    QCOMPARE(p.bytesDone, 0);
    QCOMPARE(p.bytesTotal, 20);
    QCOMPARE(p.itemsDone, 0);
    QCOMPARE(p.itemsTotal, 0);
    QVERIFY(!ctx.isCancelled());
    ctx.cancel();
    QVERIFY(ctx.isCancelled());
}

void TestJob::contextFinalUpdateAlwaysDelivered()
{
    Progress last;
    int reports = 0;
    JobContext ctx([&](const Progress &p) {
        last = p;
        ++reports;
    });
    ctx.setStage(QStringLiteral("bytes"), 10);
    ctx.addBytes(3); // within 50 ms of the stage: may be dropped
    ctx.addBytes(7); // done == total: always delivered
    QCOMPARE(last.bytesDone, 10);
    ctx.setStage(QStringLiteral("items"), 0, 4);
    for (int i = 0; i < 4; ++i)
        ctx.addItems();
    QCOMPARE(last.stage, QStringLiteral("items"));
    QCOMPARE(last.itemsDone, 4);
    QVERIFY(reports >= 4);
}

void TestJob::successSignals()
{
    Job job(QStringLiteral("title"), [](JobContext &) -> Result<void> { return {}; });
    QCOMPARE(job.title(), QStringLiteral("title"));
    QSignalSpy finished(&job, &Job::finished);
    job.start();
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.size(), 1);
    QVERIFY(outcomeOf(finished));
    QVERIFY(!job.isRunning());
}

void TestJob::progressOnOwnerThread()
{
    std::atomic<Qt::HANDLE> workerThread{nullptr};
    Job job(QStringLiteral("progress"), [&workerThread](JobContext &ctx) -> Result<void> {
        workerThread = QThread::currentThreadId();
        ctx.setStage(QStringLiteral("Working"), 300, 3);
        for (int i = 0; i < 3; ++i) {
            std::this_thread::sleep_for(60ms); // beyond the 50 ms throttle
            ctx.addBytes(100);
            ctx.addItems();
        }
        return {};
    });
    std::vector<Progress> seen;
    bool allOnOwner = true;
    connect(&job, &Job::progressChanged, this, [&](const Progress &p) {
        allOnOwner = allOnOwner && QThread::currentThread() == job.thread();
        seen.push_back(p);
    });
    bool finishedOnOwner = false;
    connect(&job, &Job::finished, this,
            [&] { finishedOnOwner = QThread::currentThread() == job.thread(); });
    QSignalSpy finished(&job, &Job::finished);
    job.start();
    QVERIFY(finished.wait(5000));
    QVERIFY(workerThread.load() != nullptr);
    QVERIFY(workerThread.load() != QThread::currentThreadId()); // the work ran elsewhere
    QVERIFY(allOnOwner);
    QVERIFY(finishedOnOwner);
    QVERIFY(seen.size() >= 2);
    QCOMPARE(seen.front().stage, QStringLiteral("Working"));
    QCOMPARE(seen.back().bytesDone, 300); // progress arrives before finished
    QCOMPARE(seen.back().itemsDone, 3);
}

// Work that fails within the 50 ms throttle: the receivers still see what it did, before
// finished() (an upload refused after 3 MiB showed "0 bytes sent").
void TestJob::lastProgressDeliveredWhenWorkEnds()
{
    Job job(QStringLiteral("refused"), [](JobContext &ctx) -> Result<void> {
        ctx.setStage(QStringLiteral("Uploading"), 1000);
        ctx.addBytes(300);
        return fail(ErrorCode::Http, QStringLiteral("refused"));
    });
    std::vector<Progress> seen;
    int seenAtFinish = -1;
    connect(&job, &Job::progressChanged, this, [&](const Progress &p) { seen.push_back(p); });
    connect(&job, &Job::finished, this, [&] { seenAtFinish = int(seen.size()); });
    QSignalSpy finished(&job, &Job::finished);
    job.start();
    QVERIFY(finished.wait(5000));
    QCOMPARE(seenAtFinish, int(seen.size()));
    QVERIFY(!seen.empty());
    QCOMPARE(seen.back().bytesDone, 300);
    QCOMPARE(seen.back().bytesTotal, 1000);
}

void TestJob::errorIsReported()
{
    Job job(QStringLiteral("fails"), [](JobContext &) -> Result<void> {
        return fail(ErrorCode::NotFound, QStringLiteral("no such model"));
    });
    QSignalSpy finished(&job, &Job::finished);
    job.start();
    QVERIFY(finished.wait(5000));
    const Result<void> outcome = outcomeOf(finished);
    QVERIFY(!outcome);
    QCOMPARE(errorCodeName(outcome.error().code), errorCodeName(ErrorCode::NotFound));
    QCOMPARE(outcome.error().message, QStringLiteral("no such model"));
}

void TestJob::cancelMakesErrorCancelled_data()
{
    QTest::addColumn<bool>("workReportsCancel");
    QTest::newRow("work returns cancelledError") << true;
    QTest::newRow("work returns success after the cancel") << false;
}

void TestJob::cancelMakesErrorCancelled()
{
    QFETCH(bool, workReportsCancel);
    std::atomic<bool> started{false};
    Job job(QStringLiteral("cancel"), [&](JobContext &ctx) -> Result<void> {
        started = true;
        while (!ctx.isCancelled())
            std::this_thread::sleep_for(1ms);
        if (workReportsCancel)
            return fail(cancelledError());
        return {};
    });
    QSignalSpy finished(&job, &Job::finished);
    job.start();
    QTRY_VERIFY(started.load());
    QVERIFY(job.isRunning());
    job.cancel();
    QVERIFY(finished.wait(5000));
    // A cancelled job did not succeed, even when its work returned success.
    const Result<void> outcome = outcomeOf(finished);
    QVERIFY(!outcome);
    QVERIFY(outcome.error().isCancelled());
    QCOMPARE(outcome.error().message, QStringLiteral("Cancelled."));
}

void TestJob::destructorWaits()
{
    std::atomic<bool> done{false};
    {
        Job job(QStringLiteral("slow"), [&done](JobContext &) -> Result<void> {
            std::this_thread::sleep_for(200ms);
            done = true;
            return {};
        });
        job.start();
    }
    QVERIFY(done.load()); // the destructor returned only after the work ended
}

void TestJob::destructorCancels()
{
    std::atomic<bool> sawCancel{false};
    QElapsedTimer timer;
    timer.start();
    {
        Job job(QStringLiteral("endless"), [&sawCancel](JobContext &ctx) -> Result<void> {
            while (!ctx.isCancelled())
                std::this_thread::sleep_for(1ms);
            sawCancel = true;
            return fail(cancelledError());
        });
        job.start();
        std::this_thread::sleep_for(20ms);
    }
    QVERIFY(sawCancel.load());
    QVERIFY(timer.elapsed() < 5000);
}

void TestJob::deletedBeforeFinishedIsDelivered()
{
    // The queued progress and finished calls find the job gone and do nothing.
    int delivered = 0;
    {
        Job job(QStringLiteral("short"), [](JobContext &ctx) -> Result<void> {
            ctx.setStage(QStringLiteral("x"), 1);
            ctx.addBytes(1);
            return {};
        });
        connect(&job, &Job::finished, this, [&delivered] { ++delivered; });
        connect(&job, &Job::progressChanged, this, [&delivered] { ++delivered; });
        job.start();
        job.wait();
    }
    QTest::qWait(50); // run the queued calls
    QCOMPARE(delivered, 0);
}

void TestJob::startWhileRunningIsIgnored()
{
    std::atomic<int> runs{0};
    std::atomic<bool> release{false};
    Job job(QStringLiteral("once"), [&](JobContext &) -> Result<void> {
        ++runs;
        while (!release)
            std::this_thread::sleep_for(1ms);
        return {};
    });
    QSignalSpy finished(&job, &Job::finished);
    job.start();
    job.start();
    release = true;
    QVERIFY(finished.wait(5000));
    QTest::qWait(50);
    QCOMPARE(runs.load(), 1);
    QCOMPARE(finished.size(), 1);
}

void TestJob::restartAfterFinish()
{
    std::atomic<int> runs{0};
    Job job(QStringLiteral("twice"), [&runs](JobContext &) -> Result<void> {
        if (++runs == 1)
            return fail(ErrorCode::Io, QStringLiteral("first run fails"));
        return {};
    });
    QSignalSpy finished(&job, &Job::finished);
    job.start();
    QVERIFY(finished.wait(5000));
    QVERIFY(!outcomeOf(finished));
    job.start();
    QTRY_COMPARE(finished.size(), 2);
    QCOMPARE(runs.load(), 2);
    QVERIFY(outcomeOf(finished, 1)); // each run hands its own outcome
}

// Work returning a value: finished() hands the outcome, take() the value (move-only here).
void TestJob::valueWorkHandsTheValue()
{
    ValueWork<std::unique_ptr<QString>> value = valueWork<std::unique_ptr<QString>>(
        [](JobContext &) -> Result<std::unique_ptr<QString>> {
            return std::make_unique<QString>(QStringLiteral("the value"));
        });
    Job job(QStringLiteral("value"), value.work);
    QSignalSpy finished(&job, &Job::finished);
    job.start();
    QVERIFY(finished.wait(5000));
    auto taken = value.take(outcomeOf(finished));
    QVERIFY(taken);
    QCOMPARE(**taken, QStringLiteral("the value"));
}

void TestJob::valueWorkHandsTheError()
{
    ValueWork<int> value = valueWork<int>([](JobContext &) -> Result<int> {
        return fail(ErrorCode::Format, QStringLiteral("not a model"));
    });
    Job job(QStringLiteral("value"), value.work);
    QSignalSpy finished(&job, &Job::finished);
    job.start();
    QVERIFY(finished.wait(5000));
    const Result<int> taken = value.take(outcomeOf(finished));
    QVERIFY(!taken);
    QCOMPARE(errorCodeName(taken.error().code), errorCodeName(ErrorCode::Format));
    QCOMPARE(taken.error().message, QStringLiteral("not a model"));
}

void TestJob::valueWorkCancelled()
{
    // The work succeeds after the cancel: the job still ends cancelled, without a value.
    std::atomic<bool> started{false};
    ValueWork<int> value = valueWork<int>([&](JobContext &ctx) -> Result<int> {
        started = true;
        while (!ctx.isCancelled())
            std::this_thread::sleep_for(1ms);
        return 42;
    });
    Job job(QStringLiteral("value"), value.work);
    QSignalSpy finished(&job, &Job::finished);
    job.start();
    QTRY_VERIFY(started.load());
    job.cancel();
    QVERIFY(finished.wait(5000));
    const Result<int> taken = value.take(outcomeOf(finished));
    QVERIFY(!taken);
    QVERIFY(taken.error().isCancelled());
}

QTEST_GUILESS_MAIN(TestJob)
#include "tst_job.moc"
