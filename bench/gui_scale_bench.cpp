// Benchmark (not a test) of the app with a large store. Usage:
//   gui-scale-bench STORE_DIR [STORE_DIR...]     (stores scale-bench filled; QPA offscreen unless set)
// For each store: opens the main window on it (settings isolated in a temporary folder) and
// prints the time until the browser lists the store's models, the longest time the event loop
// was blocked meanwhile (a 5 ms timer's largest lateness, the latency probe) and how much the
// process's resident memory grew per listed model (beyond what a window on an empty store,
// measured first, costs). Targets (issue 16): browser shown in under
// 1 s, no block over 100 ms, under 1 KiB per model. Exits 0 whether or not targets are met.
#include "mainwindow.h"
#include "modelbrowsermodel.h"
#include "modelbrowserpanel.h"
#include "uitestenv.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <algorithm>

using namespace tfjs;
using namespace tfjs::ui;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

qint64 residentKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').front().toLongLong();
    }
    return 0;
}

// Fires every `interval` ms and remembers the largest lateness: how long the event loop could
// not run it.
class LatencyProbe : public QObject
{
public:
    explicit LatencyProbe(int interval) : m_interval(interval)
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            m_worstMs = std::max(m_worstMs, (now - m_last) / 1e6 - m_interval);
            m_last = now;
        });
        m_clock.start();
        m_last = m_clock.nsecsElapsed();
        m_timer.start(interval);
    }
    double worstMs() const { return m_worstMs; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    int m_interval;
    double m_worstMs = 0;
};

// Returns how much the resident memory grew, in KiB.
qint64 measure(const QString &storeDir, qint64 baselineKiB)
{
    QTemporaryDir settingsDir;
    uitest::isolateSettings(settingsDir.path());
    QSettings().setValue(QStringLiteral("store/dir"), storeDir);
    const qint64 rssBefore = residentKiB();
    QElapsedTimer clock;
    clock.start();
    MainWindow window;
    const double constructedMs = clock.nsecsElapsed() / 1e6;
    auto *panel = window.findChild<ModelBrowserPanel *>();
    window.resize(1400, 900);
    window.show();
    LatencyProbe probe(5);
    double listedMs = -1;
    std::size_t listed = 0;
    QEventLoop loop;
    QObject::connect(panel, &ModelBrowserPanel::listingFinished, &loop,
                     [&](const QString &key, bool ok) {
                         if (key != QLatin1String("indexeddb"))
                             return;
                         listedMs = clock.nsecsElapsed() / 1e6;
                         const auto *entries = panel->model()->entries(key);
                         listed = ok && entries ? entries->size() : 0;
                         // Keep probing a while: the view lays out and paints the rows.
                         QTimer::singleShot(1000, &loop, &QEventLoop::quit);
                     });
    QTimer::singleShot(120000, &loop, &QEventLoop::quit);
    loop.exec();
    const qint64 rssAfter = residentKiB();
    out() << "== " << storeDir << Qt::endl;
    out() << "  window constructed: " << constructedMs << " ms" << Qt::endl;
    out() << "  store listed:       " << listedMs << " ms for " << listed << " models (target < 1000 ms)"
          << Qt::endl;
    out() << "  longest event-loop block: " << probe.worstMs() << " ms (target < 100 ms)" << Qt::endl;
    const qint64 grown = rssAfter - rssBefore;
    out() << "  memory: " << grown / 1024.0 << " MiB more";
    if (listed > 0)
        out() << ", " << double(grown - baselineKiB) * 1024 / double(listed)
              << " bytes per model beyond an empty store's window (target < 1024)";
    out() << Qt::endl;
    return grown;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList stores = app.arguments().mid(1);
    if (stores.isEmpty()) {
        QTextStream(stderr) << "usage: gui-scale-bench STORE_DIR [STORE_DIR...]\n";
        return 2;
    }
    // An empty store first: the window's own cost, which the per-model figure leaves out.
    QTemporaryDir empty;
    const qint64 baseline = measure(empty.path(), 0);
    for (const QString &store : stores)
        measure(store, baseline);
    return 0;
}
