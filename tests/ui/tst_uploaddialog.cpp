// The upload dialog against the Flask upload server (tests/http/upload_server.py) on 127.0.0.1.
#include "appsettings.h"
#include "headersmodel.h"
#include "jobtracker.h"
#include "mainwindow.h"
#include "modelbrowserpanel.h"
#include "uploaddialog.h"

#include "testmodels.h"
#include "uitestenv.h"
#include "uitestwidgets.h"

#include "handlers.h"
#include "job.h"

#include <QApplication>
#include <QDropEvent>
#include <QJsonArray>
#include <QMimeData>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;
using namespace tfjs::ui;

class TestUploadDialog : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QProcess m_flask;
    QString m_base;
    OpenedModelPtr m_model;
    std::shared_ptr<const HandlerRegistry> m_registry;

    QJsonObject meta(const QString &id) const
    {
        QFile file(m_dir.filePath(QStringLiteral("storage/%1/meta.json").arg(id)));
        return file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object() : QJsonObject();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        uitest::isolateSettings(m_dir.filePath(QStringLiteral("store")));
        // Any python3 with Flask (Debian's python3-flask is in /usr/bin).
        QString python;
        for (const QString &candidate : {QStringLiteral("python3"), QStringLiteral("/usr/bin/python3")}) {
            if (QProcess::execute(candidate, {QStringLiteral("-c"), QStringLiteral("import flask")}) == 0) {
                python = candidate;
                break;
            }
        }
        // The README's test command installs python3-flask: without it the setup is broken.
        if (python.isEmpty())
            QFAIL("no python3 with Flask: install python3-flask (scripts/install-deps.sh does)");
        m_flask.setProgram(python);
        m_flask.setArguments({QStringLiteral("-u"), QStringLiteral(TFJS_SOURCE_DIR "/tests/http/upload_server.py"),
                              QStringLiteral("--storage"), m_dir.filePath(QStringLiteral("storage"))});
        m_flask.start();
        QVERIFY(m_flask.waitForStarted(10000));
        QByteArray out;
        const QRegularExpression portLine(QStringLiteral("PORT (\\d+)"));
        QRegularExpressionMatch match;
        while (!(match = portLine.match(QString::fromUtf8(out))).hasMatch() && m_flask.waitForReadyRead(20000))
            out += m_flask.readAllStandardOutput();
        QVERIFY2(match.hasMatch(), out.constData());
        m_base = QStringLiteral("http://127.0.0.1:%1").arg(match.captured(1));

        const QString json = uitest::writeDenseModel(m_dir.filePath(QStringLiteral("model")));
        JobContext ctx;
        m_registry = std::make_shared<const HandlerRegistry>(makeDefaultRegistry());
        auto model = loadModel(*m_registry, ModelSource::fromUrl(json), ctx);
        QVERIFY(model);
        m_model = std::make_shared<const OpenedModel>(std::move(*model));
    }

    void cleanupTestCase()
    {
        if (m_flask.state() != QProcess::NotRunning) {
            m_flask.terminate();
            if (!m_flask.waitForFinished(5000))
                m_flask.kill();
        }
    }

    void uploadsAndShowsTheReply_data()
    {
        QTest::addColumn<QString>("method");
        QTest::newRow("POST") << QStringLiteral("POST");
        QTest::newRow("PUT") << QStringLiteral("PUT");
    }

    void uploadsAndShowsTheReply()
    {
        QFETCH(QString, method);
        JobTracker jobs;
        AppSettings settings;
        UploadDialog dialog(ModelTarget::of(m_model), m_registry, &jobs, &settings);
        dialog.show();
        dialog.setUrl(m_base + QStringLiteral("/upload"));
        dialog.setMethod(method);
        HeadersModel *headers = dialog.headersModel();
        headers->setRows({});
        int row = headers->addRow();
        headers->setData(headers->index(row, HeadersModel::Name), QStringLiteral("X-Experiment"));
        headers->setData(headers->index(row, HeadersModel::Value), QStringLiteral("run-7"));
        row = headers->addRow();
        headers->setData(headers->index(row, HeadersModel::Name), QStringLiteral("Authorization"));
        headers->setData(headers->index(row, HeadersModel::Value), QStringLiteral("Bearer do-not-store"));
        QCOMPARE(headers->index(row, HeadersModel::Value).data().toString(), QString(8, QChar(0x2022)) /* eight bullets */);

        QSignalSpy finished(&dialog, &UploadDialog::uploadFinished);
        QTest::mouseClick(dialog.uploadButton(), Qt::LeftButton);
        QVERIFY(dialog.isUploading());
        QVERIFY(dialog.cancelButton()->isEnabled());
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.front().at(0).toBool(), true);
        QCOMPARE(finished.front().at(1).toInt(), 200);
        QCOMPARE(dialog.statusLabel()->text(), QStringLiteral("Uploaded: HTTP 200"));
        QCOMPARE(dialog.progressBar()->value(), 1000);

        // The reply is shown, and it is what the server stored.
        const QJsonObject reply = QJsonDocument::fromJson(dialog.responseView()->toPlainText().toUtf8()).object();
        const QString id = reply.value(QStringLiteral("id")).toString();
        QVERIFY2(!id.isEmpty(), qPrintable(dialog.responseView()->toPlainText()));
        const QJsonObject received = meta(id);
        QCOMPARE(received.value(QStringLiteral("method")).toString(), method);
        QStringList partNames;
        for (const QJsonValue &part : received.value(QStringLiteral("parts")).toArray())
            partNames << part.toObject().value(QStringLiteral("name")).toString();
        QCOMPARE(partNames, (QStringList{QStringLiteral("model.json"), QStringLiteral("model.weights.bin")}));
        QCOMPARE(received.value(QStringLiteral("parts")).toArray().at(1).toObject().value(QStringLiteral("bytes")).toInt(), 32);
        QStringList sent;
        for (const QJsonValue &header : received.value(QStringLiteral("headers")).toArray())
            sent << header.toArray().at(0).toString() + QStringLiteral(": ") + header.toArray().at(1).toString();
        QVERIFY(sent.contains(QStringLiteral("X-Experiment: run-7")));
        QVERIFY(sent.contains(QStringLiteral("Authorization: Bearer do-not-store")));

        // Remembered: the endpoint, the method, the header names, the non-secret value only.
        settings.sync();
        QCOMPARE(settings.uploadEndpoints().front(), m_base + QStringLiteral("/upload"));
        QCOMPARE(settings.uploadMethod(), method);
        QCOMPARE(settings.uploadHeaderNames(), (QStringList{QStringLiteral("X-Experiment"), QStringLiteral("Authorization")}));
        const auto values = settings.uploadHeaderValues();
        QCOMPARE(values.size(), 1);
        QCOMPARE(values.front().first, QStringLiteral("X-Experiment"));
        QSettings raw;
        for (const QString &key : raw.allKeys())
            QVERIFY2(!raw.value(key).toString().contains(QStringLiteral("do-not-store"))
                         && !raw.value(key).toStringList().join(QString()).contains(QStringLiteral("do-not-store")),
                     qPrintable(key));
        // A new dialog offers the remembered endpoint and headers, the secret value empty.
        UploadDialog again(ModelTarget::of(m_model), m_registry, &jobs, &settings);
        QCOMPARE(again.request().url, m_base + QStringLiteral("/upload"));
        const QList<HeaderRow> rows = again.headersModel()->rows();
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows[0], (HeaderRow{QStringLiteral("X-Experiment"), QStringLiteral("run-7"), false}));
        QCOMPARE(rows[1], (HeaderRow{QStringLiteral("Authorization"), QString(), true}));
    }

    void droppedUrlOpensTheUploadedModel()
    {
        // Upload once, then drop the URL the server serves the model back at on the window.
        JobTracker jobs;
        AppSettings settings;
        UploadDialog dialog(ModelTarget::of(m_model), m_registry, &jobs, &settings);
        dialog.headersModel()->setRows({});
        dialog.setUrl(m_base + QStringLiteral("/upload"));
        QSignalSpy finished(&dialog, &UploadDialog::uploadFinished);
        dialog.startUpload();
        QVERIFY(finished.wait(30000));
        const QJsonObject reply = QJsonDocument::fromJson(dialog.responseView()->toPlainText().toUtf8()).object();
        const QString url = m_base + reply.value(QStringLiteral("modelUrl")).toString();

        MainWindow window;
        window.show();
        QSignalSpy opened(&window, &MainWindow::modelOpened);
        QMimeData mime;
        mime.setText(url);
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &drop);
        QVERIFY(opened.wait(30000));
        QCOMPARE(window.currentModel()->source.url, url);
        QCOMPARE(*window.currentModel()->artifacts.weightData.readAll(), uitest::denseWeights());
        QCOMPARE(window.browser()->recent().front().url, url);
    }

    void showsServerErrors()
    {
        JobTracker jobs;
        AppSettings settings;
        UploadDialog dialog(ModelTarget::of(m_model), m_registry, &jobs, &settings);
        dialog.headersModel()->setRows({});
        dialog.setUrl(m_base + QStringLiteral("/no-such-endpoint"));
        QSignalSpy finished(&dialog, &UploadDialog::uploadFinished);
        dialog.startUpload();
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.front().at(0).toBool(), false);
        QCOMPARE(finished.front().at(1).toInt(), 404);
        QVERIFY2(dialog.statusLabel()->text().startsWith(QStringLiteral("The server answered HTTP 404: ")),
                 qPrintable(dialog.statusLabel()->text()));
        QVERIFY(dialog.uploadButton()->isEnabled());
    }

    // Right-click a store entry → Upload… while another model is open: the dialog names the
    // entry and the entry is what the server receives.
    void contextMenuUploadsTheRightClickedEntry()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        JobContext ctx;
        const HandlerRegistry registry = makeDefaultRegistry(window.handlerOptions());
        auto graph = registry.load(uitest::writeGraphModel(m_dir.filePath(QStringLiteral("graph"))), ctx);
        QVERIFY(graph);
        QVERIFY(registry.save(QStringLiteral("indexeddb://graph"), *graph, ctx));
        window.browser()->refreshStores();
        QSignalSpy opened(&window, &MainWindow::modelOpened);
        window.openUrl(m_model->source.url);
        QVERIFY(opened.wait(10000));
        QTRY_VERIFY_WITH_TIMEOUT(window.browser()->selectUrl(QStringLiteral("indexeddb://graph")), 10000);

        QVERIFY(uitest::triggerContextAction(window, QStringLiteral("indexeddb://graph"), QStringLiteral("entryUpload")));
        auto *dialog = uitest::waitForChild<UploadDialog>(&window);
        QVERIFY(dialog);
        QCOMPARE(dialog->windowTitle(), QStringLiteral("Upload “graph”"));
        const QString label = dialog->findChild<QLabel *>(QStringLiteral("modelLabel"))->text();
        QVERIFY2(label.startsWith(QStringLiteral("indexeddb://graph (graph-model, ")), qPrintable(label));
        dialog->headersModel()->setRows({});
        dialog->setUrl(m_base + QStringLiteral("/upload"));
        QSignalSpy finished(dialog, &UploadDialog::uploadFinished);
        dialog->startUpload();
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.front().at(0).toBool(), true);
        const QString id = QJsonDocument::fromJson(dialog->responseView()->toPlainText().toUtf8())
                               .object().value(QStringLiteral("id")).toString();
        QFile weights(m_dir.filePath(QStringLiteral("storage/%1/model.weights.bin").arg(id)));
        QVERIFY(weights.open(QIODevice::ReadOnly));
        QCOMPARE(weights.readAll(), uitest::graphWeights());
        QCOMPARE(window.currentModel()->source.url, m_model->source.url);
    }

    void refusesNonHttpUrls()
    {
        JobTracker jobs;
        AppSettings settings;
        UploadDialog dialog(ModelTarget::of(m_model), m_registry, &jobs, &settings);
        dialog.setUrl(QStringLiteral("ftp://example.com/upload"));
        dialog.startUpload();
        QVERIFY(!dialog.isUploading());
        QCOMPARE(dialog.statusLabel()->text(), QStringLiteral("Enter an http:// or https:// URL to upload to."));
    }
};

QTEST_MAIN(TestUploadDialog)
#include "tst_uploaddialog.moc"
