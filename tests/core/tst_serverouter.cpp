// The model server's router (core/serve/router.h): pure, no sockets. URLs to routes, raw paths
// decoded segment by segment, and every way to spell another model than the path shows
// refused (MHD's own unescaping turned %2e%2e into '..', %2F into '/' and cut at %00).
#include "serve/router.h"

#include <QTest>

using namespace tfjs;

Q_DECLARE_METATYPE(tfjs::RouteKind)

class TestServeRouter : public QObject
{
    Q_OBJECT

private slots:
    void routes_data();
    void routes();
    void refused_data();
    void refused();
};

void TestServeRouter::routes_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<RouteKind>("kind");
    QTest::addColumn<QString>("modelPath");
    QTest::newRow("list") << QByteArray("GET") << QByteArray("/models") << RouteKind::List << QString();
    QTest::newRow("list slash") << QByteArray("HEAD") << QByteArray("/models/") << RouteKind::List << QString();
    QTest::newRow("model.json") << QByteArray("GET") << QByteArray("/models/a/b/model.json")
                                << RouteKind::ModelJson << QStringLiteral("a/b");
    QTest::newRow("weights") << QByteArray("GET") << QByteArray("/models/m/model.weights.bin")
                             << RouteKind::Weights << QStringLiteral("m");
    QTest::newRow("weights of a version") << QByteArray("GET") << QByteArray("/models/m/model.weights.0123456789abcdef.bin")
                                          << RouteKind::Weights << QStringLiteral("m");
    QTest::newRow("save POST") << QByteArray("POST") << QByteArray("/models/my%20model/v1")
                               << RouteKind::Save << QStringLiteral("my model/v1");
    QTest::newRow("save PUT utf-8") << QByteArray("PUT") << QByteArray("/models/caf%C3%A9")
                                    << RouteKind::Save << QStringLiteral("café");
    QTest::newRow("dots inside a name") << QByteArray("POST") << QByteArray("/models/a..b/.c")
                                        << RouteKind::Save << QStringLiteral("a..b/.c");
    QTest::newRow("delete") << QByteArray("DELETE") << QByteArray("/models/x/model.json")
                            << RouteKind::Delete << QStringLiteral("x/model.json");
    QTest::newRow("preflight") << QByteArray("OPTIONS") << QByteArray("/models/x")
                               << RouteKind::Preflight << QStringLiteral("x");
    QTest::newRow("preflight list") << QByteArray("OPTIONS") << QByteArray("/models")
                                    << RouteKind::Preflight << QString();
}

void TestServeRouter::routes()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(RouteKind, kind);
    QFETCH(QString, modelPath);
    auto result = route(method, path);
    QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
    QCOMPARE(result->kind, kind);
    QCOMPARE(result->modelPath, modelPath);
    QCOMPARE(result->version, path.endsWith("abcdef.bin") ? QStringLiteral("0123456789abcdef") : QString());
}

void TestServeRouter::refused_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");
    const QString dots = QStringLiteral("'.' and '..' are not model names");
    const auto segment = [](const char *raw, const QString &why) {
        return QStringLiteral("The model path segment '%1' is refused: %2.").arg(QLatin1String(raw), why);
    };
    QTest::newRow("..") << QByteArray("DELETE") << QByteArray("/models/a/../b") << 400 << segment("..", dots);
    QTest::newRow("%2e%2e") << QByteArray("DELETE") << QByteArray("/models/a/%2e%2e/b") << 400
                            << segment("%2e%2e", dots);
    QTest::newRow(".") << QByteArray("POST") << QByteArray("/models/./a") << 400 << segment(".", dots);
    QTest::newRow("%00 (MHD cut the path here)")
        << QByteArray("DELETE") << QByteArray("/models/a%00/../b") << 400
        << segment("a%00", QStringLiteral("it holds a NUL or another control character"));
    QTest::newRow("%0a") << QByteArray("POST") << QByteArray("/models/a%0ab") << 400
                         << segment("a%0ab", QStringLiteral("it holds a NUL or another control character"));
    QTest::newRow("%2F") << QByteArray("POST") << QByteArray("/models/a%2F..") << 400
                         << segment("a%2F..", QStringLiteral("it decodes to a '/' or a backslash"));
    QTest::newRow("%5c") << QByteArray("POST") << QByteArray("/models/a%5c..") << 400
                         << segment("a%5c..", QStringLiteral("it decodes to a '/' or a backslash"));
    QTest::newRow("backslash") << QByteArray("POST") << QByteArray("/models/a\\b") << 400
                               << segment("a%5Cb", QStringLiteral("it holds a backslash"));
    QTest::newRow("not utf-8") << QByteArray("POST") << QByteArray("/models/%ff") << 400
                               << segment("%ff", QStringLiteral("it is not UTF-8"));
    const QString empty = QStringLiteral("The model path has an empty segment ('//' or a trailing '/').");
    QTest::newRow("//") << QByteArray("POST") << QByteArray("/models/a//b") << 400 << empty;
    QTest::newRow("trailing /") << QByteArray("DELETE") << QByteArray("/models/a/") << 400 << empty;
    QTest::newRow("elsewhere") << QByteArray("GET") << QByteArray("/etc/passwd") << 404
                               << QStringLiteral("No such URL; the server answers under /models (GET "
                                                 "/models lists the models).");
    QTest::newRow("modelsx") << QByteArray("GET") << QByteArray("/modelsx") << 404
                             << QStringLiteral("No such URL; the server answers under /models (GET "
                                               "/models lists the models).");
    const QString load = QStringLiteral("No such URL; a model loads from /models/<path>/model.json.");
    QTest::newRow("GET a model folder") << QByteArray("GET") << QByteArray("/models/a") << 404 << load;
    QTest::newRow("weights, a tag not hex") << QByteArray("GET") << QByteArray("/models/m/model.weights.0123456789abcdeX.bin")
                                            << 404 << load;
    QTest::newRow("weights, a tag too short") << QByteArray("GET") << QByteArray("/models/m/model.weights.0123.bin")
                                              << 404 << load;
    QTest::newRow("GET model.json alone") << QByteArray("GET") << QByteArray("/models/model.json")
                                          << 404 << load;
    QTest::newRow("POST the list") << QByteArray("POST") << QByteArray("/models") << 405
                                   << QStringLiteral("POST is not allowed here; this URL takes GET, "
                                                     "HEAD, OPTIONS.");
    QTest::newRow("PATCH") << QByteArray("PATCH") << QByteArray("/models/a") << 405
                           << QStringLiteral("PATCH is not allowed here; this URL takes GET, HEAD, "
                                             "POST, PUT, DELETE, OPTIONS.");
}

void TestServeRouter::refused()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(int, status);
    QFETCH(QString, message);
    auto result = route(method, path);
    QVERIFY(!result);
    QCOMPARE(result.error().status, status);
    QCOMPARE(result.error().message, message);
}

QTEST_GUILESS_MAIN(TestServeRouter)
#include "tst_serverouter.moc"
