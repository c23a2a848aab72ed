// "Serve Store over HTTP" in the window (issue 14): the toggle, the status bar's URL, copy
// button and arrivals list, against real saves made as TF.js's http handler makes them.
#include "appsettings.h"
#include "mainwindow.h"
#include "servecontroller.h"
#include "servestatuswidget.h"

#include "testmodels.h"
#include "uitestenv.h"
#include "uitestwidgets.h"

#include <QAction>
#include <QClipboard>
#include <QFileDialog>
#include <QHttpMultiPart>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>

using namespace tfjs;
using namespace tfjs::ui;

namespace {

constexpr int kTimeout = 20000;
using State = ServeController::State;

// What model.save('http://…/models/NAME') sends: a multipart form with model.json and
// model.weights.bin (TF.js's browserHTTPRequest).
QNetworkReply *saveDense(QNetworkAccessManager &network, const QUrl &base, const QString &name)
{
    auto *form = new QHttpMultiPart(QHttpMultiPart::FormDataType);
    const std::pair<QByteArray, QByteArray> parts[]
        = { { "model.json", uitest::denseModelJson(QStringLiteral("model.weights.bin")) },
              { "model.weights.bin", uitest::denseWeights() } };
    for (const auto &[part, body] : parts) {
        QHttpPart http;
        http.setHeader(QNetworkRequest::ContentDispositionHeader,
            QByteArray("form-data; name=\"" + part + "\"; filename=\"" + part + "\""));
        http.setBody(body);
        form->append(http);
    }
    QNetworkReply *reply = network.post(
        QNetworkRequest(base.resolved(QUrl(QStringLiteral("models/") + name))), form);
    form->setParent(reply);
    return reply;
}

// The HTTP status of a finished reply (0 when none came).
int httpStatus(QNetworkReply *reply)
{
    if (!reply->isFinished())
        QSignalSpy(reply, &QNetworkReply::finished).wait(kTimeout);
    reply->deleteLater();
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

bool connectionRefused(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    socket.waitForConnected(kTimeout);
    return socket.error() == QAbstractSocket::ConnectionRefusedError;
}

// The texts of the arrivals list's rows, "model | status | details", newest first.
QStringList arrivalRows(ServeStatusWidget *status)
{
    QStringList rows;
    for (int i = 0; i < status->arrivals()->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *item = status->arrivals()->topLevelItem(i);
        rows << QStringList { item->text(ServeStatusWidget::ModelColumn),
            item->text(ServeStatusWidget::StatusColumn),
            item->text(ServeStatusWidget::DetailsColumn) }
                    .join(QStringLiteral(" | "));
    }
    return rows;
}

} // namespace

class TestServeToggle : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QNetworkAccessManager m_network;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    static ServeStatusWidget *serveStatus(MainWindow &window)
    {
        return window.findChild<ServeStatusWidget *>();
    }

    // Shows the window and turns serving on; false when it does not serve.
    static bool showServing(MainWindow &window)
    {
        window.show();
        if (!QTest::qWaitForWindowExposed(&window))
            return false;
        window.action(QStringLiteral("serveStore"))->trigger();
        return window.serveController()->state() == State::Serving;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        uitest::isolateSettings(path(QStringLiteral("store")));
        AppSettings().setServePort(0); // a free port: tests run in parallel
    }

    void init() { AppSettings().setServePort(0); }

    void servesSavesAndRefuses()
    {
        MainWindow window;
        ServeController *serve = window.serveController();
        QAction *toggle = window.action(QStringLiteral("serveStore"));
        QVERIFY(toggle && toggle->isCheckable() && !toggle->isChecked());
        QVERIFY(toggle->toolTip().contains(QStringLiteral("127.0.0.1")));
        QVERIFY(showServing(window));
        QVERIFY(toggle->isChecked());

        // The status bar shows the URL with the real port; Copy puts it on the clipboard.
        const QUrl url = serve->url();
        QVERIFY(url.port() > 0);
        QCOMPARE(url.host(), QStringLiteral("127.0.0.1"));
        ServeStatusWidget *status = serveStatus(window);
        QVERIFY(status && status->urlLabel()->isVisible());
        QCOMPARE(status->urlLabel()->text(),
            QStringLiteral("Serving http://127.0.0.1:%1/").arg(url.port()));
        QGuiApplication::clipboard()->clear();
        status->copyButton()->click();
        QCOMPARE(QGuiApplication::clipboard()->text(), url.toString());

        // A page's save lands in the store: the arrivals list and the store section show it.
        QCOMPARE(httpStatus(saveDense(m_network, url, QStringLiteral("from-page"))), 200);
        QTRY_VERIFY_WITH_TIMEOUT(!arrivalRows(status).isEmpty(), kTimeout);
        QCOMPARE(arrivalRows(status).front(),
            QStringLiteral("indexeddb://from-page | saved | 32 bytes of weights"));
        QTRY_VERIFY_WITH_TIMEOUT(uitest::browserNames(window, QStringLiteral("indexeddb"))
                                     .contains(QStringLiteral("from-page")),
            kTimeout);
        QCOMPARE(uitest::formatAndWeights(
                     window.handlerOptions(), QStringLiteral("indexeddb://from-page"))
                     .second,
            uitest::denseWeights());

        // The same name again without ?overwrite=1 is refused: the list says what and the status.
        QCOMPARE(httpStatus(saveDense(m_network, url, QStringLiteral("from-page"))), 409);
        QTRY_COMPARE_WITH_TIMEOUT(arrivalRows(status).size(), 2, kTimeout);
        QCOMPARE(arrivalRows(status).front(),
            QStringLiteral("POST /models/from-page | 409 | The store already holds a model at "
                           "'from-page'; add ?overwrite=1 to replace it (the old one goes to the "
                           "store's trash)."));
        QCOMPARE(status->arrivalsButton()->text(), QStringLiteral("Arrivals: 1 saved, 1 refused"));
        status->arrivalsButton()->click();
        QVERIFY(status->arrivalsWindow()->isVisible());

        // Off: the port is closed once the requests have ended (in a job), the toggle is off.
        const auto port = quint16(url.port());
        toggle->trigger();
        QCOMPARE(serve->state(), State::Stopping);
        QVERIFY(!toggle->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(serve->state(), State::Off, kTimeout);
        QVERIFY(!toggle->isChecked() && toggle->isEnabled());
        QVERIFY(!status->urlLabel()->isVisible());
        QVERIFY(connectionRefused(port));
    }

    void portInUseOffersAnother()
    {
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost));
        AppSettings().setServePort(taken.serverPort());
        MainWindow window;
        QVERIFY(!showServing(window));
        QAction *toggle = window.action(QStringLiteral("serveStore"));
        QVERIFY(!toggle->isChecked());
        auto *box = uitest::waitForChild<QMessageBox>(&window, QStringLiteral("servePortTakenBox"));
        QVERIFY(box);
        QCOMPARE(box->text(),
            QStringLiteral("Could not serve the store on port %1: Address already in use")
                .arg(taken.serverPort()));
        // The box says it all: the server's own log line about the bind is not an arrival.
        QCOMPARE(serveStatus(window)->arrivals()->topLevelItemCount(), 0);
        QVERIFY(!serveStatus(window)->arrivalsButton()->isVisible());
        // Serving on a free port instead: that port is remembered for the next start.
        uitest::buttonWithText(box, QStringLiteral("Serve on a Free Port"))->click();
        QTRY_COMPARE_WITH_TIMEOUT(window.serveController()->state(), State::Serving, kTimeout);
        const auto port = quint16(window.serveController()->url().port());
        QVERIFY(port != 0 && port != taken.serverPort());
        QCOMPARE(AppSettings().servePort(), port);
        QVERIFY(toggle->isChecked());
    }

    void portSettingRestartsOnIt()
    {
        MainWindow window;
        QVERIFY(showServing(window));
        ServeController *serve = window.serveController();
        QAction *portAction = window.action(QStringLiteral("servePort"));
        QVERIFY(portAction);

        // Not a port: said so, nothing changes.
        portAction->trigger();
        auto *ask = uitest::waitForChild<QInputDialog>(&window, QStringLiteral("askTextDialog"));
        QVERIFY(ask);
        QCOMPARE(ask->textValue(), QStringLiteral("0"));
        ask->setTextValue(QStringLiteral("70000"));
        uitest::buttonWithText(ask, QStringLiteral("OK"))->click();
        auto *error = uitest::waitForChild<QMessageBox>(&window, QStringLiteral("errorBox"));
        QVERIFY(error);
        QCOMPARE(error->text(), QStringLiteral("Could not set the server port"));
        QCOMPARE(
            error->informativeText(), QStringLiteral("'70000' is not a port number (0-65535)."));
        error->close();
        QCOMPARE(AppSettings().servePort(), quint16(0));
        QCOMPARE(serve->state(), State::Serving);

        // A port: remembered, and the server moves to it.
        QTcpServer probe; // a port free a moment ago
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        const auto before = quint16(serve->url().port());
        portAction->trigger();
        ask = uitest::waitForChild<QInputDialog>(&window, QStringLiteral("askTextDialog"));
        QVERIFY(ask);
        ask->setTextValue(QString::number(port));
        uitest::buttonWithText(ask, QStringLiteral("OK"))->click();
        QCOMPARE(AppSettings().servePort(), port);
        QTRY_COMPARE_WITH_TIMEOUT(serve->url().port(), int(port), kTimeout);
        QCOMPARE(serve->state(), State::Serving);
        QVERIFY(connectionRefused(before));
        QVERIFY(portAction->toolTip().contains(QString::number(port)));
    }

    void storeLocationRestartsOnTheNewStore()
    {
        MainWindow window;
        QVERIFY(showServing(window));
        ServeController *serve = window.serveController();
        const QUrl url = serve->url();
        QSignalSpy states(serve, &ServeController::stateChanged);
        window.action(QStringLiteral("storeLocation"))->trigger();
        auto *dialog = uitest::waitForChild<QFileDialog>(&window);
        QVERIFY(dialog);
        const QString other = path(QStringLiteral("other-store"));
        QVERIFY(QDir().mkpath(other));
        dialog->selectFile(other);
        QMetaObject::invokeMethod(dialog, "accept"); // its Choose button
        QTRY_COMPARE_WITH_TIMEOUT(states.size(), 3, kTimeout); // Stopping, Off, Serving
        QCOMPARE(serve->state(), State::Serving);
        QCOMPARE(serve->url(), url); // the same port: pages keep their URLs
        QCOMPARE(serve->storeDir(), other);
        QCOMPARE(httpStatus(saveDense(m_network, url, QStringLiteral("moved"))), 200);
        HandlerOptions options;
        options.storeDir = other;
        QCOMPARE(uitest::formatAndWeights(options, QStringLiteral("indexeddb://moved")).second,
            uitest::denseWeights());
    }

    void closingStopsTheServer()
    {
        MainWindow window;
        QVERIFY(showServing(window));
        const auto port = quint16(window.serveController()->url().port());
        window.close();
        QCOMPARE(window.serveController()->state(), State::Stopping);
        QTRY_VERIFY_WITH_TIMEOUT(!window.isVisible(), kTimeout);
        QCOMPARE(window.serveController()->state(), State::Off);
        QVERIFY(connectionRefused(port));
    }
};

QTEST_MAIN(TestServeToggle)
#include "tst_servetoggle.moc"
