#include "inspectorwidget.h"
#include "jobstatuswidget.h"
#include "jobtracker.h"
#include "mainwindow.h"

#include "testmodels.h"
#include "uitestenv.h"

#include <QProgressBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QToolButton>

using namespace tfjs;
using namespace tfjs::ui;

class TestJobStatus : public QObject
{
    Q_OBJECT

private slots:
    void cancelButtonStopsTheRunningJob()
    {
        JobTracker tracker;
        JobStatusWidget status(&tracker);
        QVERIFY(!status.isVisible()); // nothing runs
        std::atomic<int> chunks{0};
        std::optional<Error> outcome;
        bool done = false;
        tracker.start(
            QStringLiteral("Endless"),
            [&chunks](JobContext &ctx) -> Result<void> {
                ctx.setStage(QStringLiteral("Working"), qint64(1) << 40);
                while (!ctx.isCancelled()) {
                    ctx.addBytes(1 << 20);
                    ++chunks;
                    QThread::msleep(2);
                }
                return fail(cancelledError());
            },
            this, [&](const std::optional<Error> &error) {
                outcome = error;
                done = true;
            });
        QVERIFY(status.isVisible());
        QTRY_VERIFY(status.progressBar()->maximum() == 1000 && status.text().contains(QStringLiteral("Endless: Working")));
        QVERIFY2(status.progressBar()->format().contains(QStringLiteral(" / 1.0 TiB")),
                 qPrintable(status.progressBar()->format()));
        QTest::mouseClick(status.cancelButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(done, 5000);
        QVERIFY(outcome);
        QCOMPARE(outcome->code, ErrorCode::Cancelled);
        const int after = chunks;
        QTest::qWait(50);
        QCOMPARE(chunks.load(), after); // nothing runs any more
        QTRY_VERIFY(!status.isVisible());
        QVERIFY(tracker.running().isEmpty());
    }

    void foregroundJobIsShownBeforeBackgroundOnes()
    {
        JobTracker tracker;
        std::atomic<bool> stop{false};
        auto wait = [&stop](JobContext &ctx) -> Result<void> {
            while (!stop && !ctx.isCancelled())
                QThread::msleep(1);
            return {};
        };
        Job *background = tracker.start(QStringLiteral("Scan"), wait, nullptr, {}, true);
        QCOMPARE(tracker.current(), background);
        Job *foreground = tracker.start(QStringLiteral("Open"), wait);
        Job *later = tracker.start(QStringLiteral("Scan 2"), wait, nullptr, {}, true);
        Q_UNUSED(later)
        QCOMPARE(tracker.current(), foreground);
        QSignalSpy finished(&tracker, &JobTracker::jobFinished);
        stop = true;
        QTRY_COMPARE(finished.size(), 3);
        QVERIFY(!tracker.current());
    }

    void cancellingASaveLeavesNothingBehind()
    {
        QTemporaryDir dir;
        uitest::isolateSettings(dir.filePath(QStringLiteral("store")));
        const QString json = uitest::writeLargeModel(dir.filePath(QStringLiteral("big")), 64, qint64(8) << 20);
        QVERIFY(!json.isEmpty());
        MainWindow window;
        window.show();
        QSignalSpy opened(&window, &MainWindow::modelOpened);
        window.openUrl(json);
        QVERIFY(opened.wait(20000));
        window.inspector()->cancelStatistics();
        QTRY_VERIFY_WITH_TIMEOUT(window.jobs()->running().isEmpty(), 20000);

        const QString target = dir.filePath(QStringLiteral("copy"));
        QSignalSpy finished(window.jobs(), &JobTracker::jobFinished);
        QSignalSpy saved(&window, &MainWindow::saved);
        window.saveModelTo(window.openedTarget(), QStringLiteral("file://") + target);
        JobStatusWidget *status = window.jobStatus();
        QVERIFY(status->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(status->progressBar()->value() > 0, 20000);
        QTest::mouseClick(status->cancelButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(finished.size() == 1, 20000);
        const auto error = finished.front().at(1).value<std::optional<Error>>();
        QVERIFY(error);
        QCOMPARE(error->code, ErrorCode::Cancelled);
        QCOMPARE(saved.size(), 0);
        QVERIFY(!QFileInfo::exists(target));
        QStringList left = QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
        left.removeAll(QStringLiteral("big"));
        left.removeAll(QStringLiteral("store"));
        QVERIFY2(left.isEmpty(), qPrintable(left.join(QStringLiteral(", "))));
    }
};

QTEST_MAIN(TestJobStatus)
#include "tst_jobstatus.moc"
