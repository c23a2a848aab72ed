#include "inspect/workers.h"

#include <QTest>
#include <QThreadPool>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

using namespace tfjs;

namespace {

// A work function that records the threads running it and how many run at once. Each copy
// waits until `gather` copies have arrived (later ones pass at once), so when the pool gives
// runWorkers that many threads they are all inside together.
class Recorder
{
public:
    explicit Recorder(int gather) : m_gather(gather) { }

    void operator()()
    {
        std::unique_lock lock(m_mutex);
        ++m_calls;
        m_threads.insert(std::this_thread::get_id());
        m_peak = std::max(m_peak, ++m_inside);
        m_arrived.notify_all();
        // Guards against a hang only (a copy that never comes); the checks below then fail.
        m_arrived.wait_for(lock, std::chrono::minutes(2), [this] { return m_calls >= m_gather; });
        --m_inside;
    }

    int calls() const { return m_calls; }
    int peak() const { return m_peak; }
    const std::set<std::thread::id> &threads() const { return m_threads; }

private:
    const int m_gather;
    std::mutex m_mutex;
    std::condition_variable m_arrived;
    int m_calls = 0;
    int m_inside = 0;
    int m_peak = 0;
    std::set<std::thread::id> m_threads;
};

} // namespace

class TestWorkers : public QObject
{
    Q_OBJECT

private slots:
    void runsTheCountOnDistinctThreads();
    void oneWorkerIsTheCallingThread();
    void poolLimitHolds();
    void busyPoolLeavesTheCallerAlone();
    void callerOnThePoolCountsAgainstIt();
};

void TestWorkers::runsTheCountOnDistinctThreads()
{
    QThreadPool pool;
    pool.setMaxThreadCount(8);
    Recorder recorder(3);
    runWorkers(3, std::ref(recorder), &pool);
    QCOMPARE(recorder.calls(), 3);
    QCOMPARE(recorder.peak(), 3);
    QCOMPARE(recorder.threads().size(), std::size_t(3));
    QVERIFY(recorder.threads().contains(std::this_thread::get_id()));
}

void TestWorkers::oneWorkerIsTheCallingThread()
{
    QThreadPool pool;
    pool.setMaxThreadCount(8);
    for (const int workers : { 1, 0 }) {
        Recorder recorder(1);
        runWorkers(workers, std::ref(recorder), &pool);
        QCOMPARE(recorder.calls(), 1);
        QCOMPARE(recorder.threads(), std::set { std::this_thread::get_id() });
    }
}

void TestWorkers::poolLimitHolds()
{
    // Five asked, the pool has two threads: the caller and two helpers, nothing queued for
    // later (the copies are all inside together before any returns, so a queued one would be
    // a fourth call).
    QThreadPool pool;
    pool.setMaxThreadCount(2);
    Recorder recorder(3);
    runWorkers(5, std::ref(recorder), &pool);
    pool.waitForDone();
    QCOMPARE(recorder.calls(), 3);
    QCOMPARE(recorder.peak(), 3);
    QCOMPARE(recorder.threads().size(), std::size_t(3));
}

void TestWorkers::busyPoolLeavesTheCallerAlone()
{
    QThreadPool pool;
    pool.setMaxThreadCount(1);
    std::mutex mutex;
    std::condition_variable released;
    bool release = false;
    pool.start([&] {
        std::unique_lock lock(mutex);
        released.wait(lock, [&] { return release; });
    });
    Recorder recorder(1);
    runWorkers(4, std::ref(recorder), &pool); // returns although the pool never frees a thread
    QCOMPARE(recorder.calls(), 1);
    QCOMPARE(recorder.threads(), std::set { std::this_thread::get_id() });
    {
        std::lock_guard lock(mutex);
        release = true;
    }
    released.notify_all();
    pool.waitForDone();
    QCOMPARE(recorder.calls(), 1); // nothing was left queued to run later
}

void TestWorkers::callerOnThePoolCountsAgainstIt()
{
    // A Job runs its work on a pool thread: asked for 4 on a pool of 2, it gets one helper.
    QThreadPool pool;
    pool.setMaxThreadCount(2);
    Recorder recorder(2);
    std::thread::id caller;
    pool.start([&] {
        caller = std::this_thread::get_id();
        runWorkers(4, std::ref(recorder), &pool);
    });
    pool.waitForDone();
    QCOMPARE(recorder.calls(), 2);
    QCOMPARE(recorder.peak(), 2);
    QCOMPARE(recorder.threads().size(), std::size_t(2));
    QVERIFY(recorder.threads().contains(caller));
}

QTEST_GUILESS_MAIN(TestWorkers)
#include "tst_workers.moc"
