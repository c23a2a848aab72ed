// Measures how long the GUI thread is ever blocked while a large model is opened and
// inspected: a 5 ms heartbeat timer records the longest gap between its ticks, and every event
// delivery is timed (wall clock and GUI-thread CPU) to tell which handler a gap came from.
#include "inspectorwidget.h"
#include "jobtracker.h"
#include "jsonpage.h"
#include "mainwindow.h"
#include "weightspage.h"

#include "testmodels.h"
#include "uitestenv.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <ctime>

using namespace tfjs;
using namespace tfjs::ui;

namespace {

double threadCpuMs()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) * 1e3 + double(now.tv_nsec) / 1e6;
}

double loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    return file.readAll().split(' ').value(0).toDouble();
}

// Records the slowest event deliveries and the most GUI-thread CPU any one took.
class TimingApplication final : public QApplication
{
public:
    using QApplication::QApplication;
    struct Slow
    {
        qint64 ms;
        double cpuMs; // of the GUI thread: far below `ms` means it waited for a CPU
        QString what;
    };
    std::vector<Slow> slowest;
    double maxCpuMs = 0;
    QString maxCpuWhat;
    bool recording = false;

    bool notify(QObject *receiver, QEvent *event) override
    {
        if (!recording)
            return QApplication::notify(receiver, event);
        QElapsedTimer clock;
        clock.start();
        const double cpuStart = threadCpuMs();
        const QString what = QStringLiteral("event %1 to %2 %3")
                                 .arg(int(event->type()))
                                 .arg(QLatin1String(receiver->metaObject()->className()), receiver->objectName());
        const bool result = QApplication::notify(receiver, event);
        const qint64 ms = clock.elapsed();
        const double cpuMs = threadCpuMs() - cpuStart;
        if (cpuMs > maxCpuMs) {
            maxCpuMs = cpuMs;
            maxCpuWhat = what;
        }
        if (ms >= 10) {
            slowest.push_back({ms, cpuMs, what});
            std::sort(slowest.begin(), slowest.end(), [](const Slow &a, const Slow &b) { return a.ms > b.ms; });
            if (slowest.size() > 5)
                slowest.pop_back();
        }
        return result;
    }
};

} // namespace

class TestResponsiveness : public QObject
{
    Q_OBJECT

private slots:
    void largeModelKeepsTheEventLoopFree()
    {
        // TFJS_UI_BIG_MIB: size of the model (default 1024 MiB, as the issue asks).
        const qint64 mib = qEnvironmentVariableIsSet("TFJS_UI_BIG_MIB") ? qEnvironmentVariableIntValue("TFJS_UI_BIG_MIB") : 1024;
        QTemporaryDir dir;
        uitest::isolateSettings(dir.filePath(QStringLiteral("store")));
        // 4096 tensors: a weights manifest of some size, so the JSON tab has work to do too.
        const int tensors = 4096;
        const QString json = uitest::writeLargeModel(dir.filePath(QStringLiteral("big")), tensors, (mib << 20) / tensors);
        QVERIFY(!json.isEmpty());

        MainWindow window;
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        QElapsedTimer clock;
        qint64 last = 0, worst = 0, ticks = 0;
        QTimer heartbeat;
        heartbeat.setInterval(5);
        connect(&heartbeat, &QTimer::timeout, this, [&] {
            const qint64 now = clock.elapsed();
            worst = std::max(worst, now - last);
            last = now;
            ++ticks;
        });
        QSignalSpy opened(&window, &MainWindow::modelOpened);
        QSignalSpy stats(window.inspector(), &InspectorWidget::statisticsFinished);
        auto *app = static_cast<TimingApplication *>(QCoreApplication::instance());
        app->recording = true;
        clock.start();
        heartbeat.start();
        window.openUrl(json);
        QVERIFY(opened.wait(60000));
        const qint64 openedAt = clock.elapsed();
        // Let the JSON tab fill and the statistics run.
        window.inspector()->setCurrentWidget(window.inspector()->weightsPage());
        QTRY_VERIFY_WITH_TIMEOUT(!stats.isEmpty() && !window.inspector()->jsonPage()->isLoading()
                                     && window.jobs()->running().isEmpty(),
                                 600000);
        const qint64 total = clock.elapsed();
        heartbeat.stop();
        app->recording = false;
        for (const auto &slow : app->slowest)
            qInfo("slow: %lld ms (%.0f ms on the GUI thread's CPU) in %s", slow.ms, slow.cpuMs, qPrintable(slow.what));
        qInfo("opened %lld MiB (%d tensors) in %lld ms; inspected in %lld ms; statistics %s; "
              "%lld heartbeats, longest event-loop gap %lld ms; most GUI-thread CPU in one event %.1f ms (%s)",
              mib, tensors, openedAt, total, stats.front().front().toBool() ? "computed" : "failed",
              ticks, worst, app->maxCpuMs, qPrintable(app->maxCpuWhat));
        QVERIFY(stats.front().front().toBool());
        QCOMPARE(window.inspector()->weightsPage()->tableModel()->rowCount(), tensors);
        QVERIFY(window.inspector()->weightsPage()->tableModel()->stats(tensors - 1));
#ifdef TFJS_SANITIZED
        // ASan's shadow memory and allocator locks stretch every event several times over:
        // the figures above are reported; the limits hold for the product build.
        qInfo("sanitizer build: timings reported, not asserted");
        return;
#endif
        // What the code controls: no event handler works on the GUI thread for long.
        QVERIFY2(app->maxCpuMs < 50, qPrintable(QStringLiteral("an event took %1 ms of GUI-thread CPU").arg(app->maxCpuMs)));
        // The wall-clock gap also counts time the GUI thread waited for a CPU, which other
        // processes decide when the machine is overloaded: it is asserted only when it is not.
        const double load = loadAverage();
        const int cores = QThread::idealThreadCount();
        if (load < cores) {
            QVERIFY2(worst < 100, qPrintable(QStringLiteral("the event loop was blocked for %1 ms").arg(worst)));
        } else {
            qInfo("load average %.1f on %d cores: the %lld ms wall-clock gap is reported, not asserted",
                  load, cores, worst);
        }
    }
};

int main(int argc, char *argv[])
{
    TimingApplication app(argc, argv);
    TestResponsiveness test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_responsiveness.moc"
