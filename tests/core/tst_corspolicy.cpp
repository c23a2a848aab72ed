// The model server's CORS and Host policy (core/serve/corspolicy.h), pure: which pages may use
// the server, which Host names are this server's (DNS rebinding), the preflight's headers.
#include "serve/corspolicy.h"

#include <QTest>

using namespace tfjs;

class TestCorsPolicy : public QObject
{
    Q_OBJECT

private slots:
    void origins();
    void hosts();
    void preflight();
};

void TestCorsPolicy::origins()
{
    const CorsPolicy loopback({}, QHostAddress(QHostAddress::LocalHost), 8080);
    QVERIFY(loopback.originAllowed({}));  // not a page: curl, Node, tfjs-model
    // Default while on loopback: pages served from loopback themselves, any port...
    for (const char *page : {"http://localhost", "http://localhost:3000", "https://localhost:8443",
                             "http://127.0.0.1:8000", "http://127.1.2.3:9", "http://[::1]:5173",
                             "HTTP://LOCALHOST:1"})
        QVERIFY2(loopback.originAllowed(page), page);
    // ...and no other site: a visited web page's simple POST would write into the store.
    for (const char *page : {"http://any.test", "https://example.com", "http://localhost.evil.test",
                             "http://127.0.0.1.evil.test", "http://10.0.0.1:8080", "ftp://localhost",
                             "http://localhost/path", "http://user@localhost", "localhost:8080"})
        QVERIFY2(!loopback.originAllowed(page), page);
    // "null" is file:// pages, but also any site's sandboxed iframe, data: URL or redirect.
    QVERIFY(!loopback.originAllowed("null"));
    const CorsPolicy files({QStringLiteral("null")}, QHostAddress(QHostAddress::LocalHost), 8080);
    QVERIFY(files.originAllowed("null"));
    QVERIFY(!files.originAllowed("http://localhost:3000")); // a list replaces the default
    const CorsPolicy listed({QStringLiteral("http://good.test")}, QHostAddress(QHostAddress::LocalHost), 8080);
    QVERIFY(listed.originAllowed("http://GOOD.test"));
    QVERIFY(!listed.originAllowed("http://evil.test"));
    QVERIFY(listed.responseHeaders("http://evil.test")
            == HeaderList({{"Vary", "Origin"}}));
    QVERIFY(listed.responseHeaders("http://good.test")
            == HeaderList({{"Vary", "Origin"}, {"Access-Control-Allow-Origin", "http://good.test"}}));
    const CorsPolicy lan({}, QHostAddress(QStringLiteral("192.168.1.5")), 8080);
    QVERIFY(lan.originAllowed({}));
    QVERIFY(!lan.originAllowed("http://any.test")); // off loopback: only the listed ones
    QVERIFY(!lan.originAllowed("http://127.0.0.1:3000"));
    const CorsPolicy star({QStringLiteral("*")}, QHostAddress(QStringLiteral("192.168.1.5")), 8080);
    QVERIFY(star.originAllowed("http://any.test"));
    QVERIFY(star.originAllowed("null"));
}

void TestCorsPolicy::hosts()
{
    const CorsPolicy loopback({}, QHostAddress(QHostAddress::LocalHost), 8080);
    for (const char *host : {"127.0.0.1:8080", "localhost:8080", "LOCALHOST:8080", "[::1]:8080"})
        QVERIFY2(loopback.hostAllowed(host), host);
    for (const char *host : {"", "127.0.0.1", "127.0.0.1:8081", "evil.test:8080", "localhost.evil.test:8080"})
        QVERIFY2(!loopback.hostAllowed(host), host);
    const CorsPolicy port80({}, QHostAddress(QHostAddress::LocalHost), 80);
    QVERIFY(port80.hostAllowed("localhost"));
    const CorsPolicy lan({}, QHostAddress(QStringLiteral("192.168.1.5")), 8080);
    QVERIFY(lan.hostAllowed("machine.lan:8080")); // names we cannot know; writes need the token
}

void TestCorsPolicy::preflight()
{
    const CorsPolicy policy({}, QHostAddress(QHostAddress::LocalHost), 8080);
    const HeaderList headers = policy.preflightHeaders("http://localhost:3000", "Authorization, Content-Type, X-Other");
    QVERIFY(headers
            == HeaderList({{"Vary", "Origin"},
                           {"Access-Control-Allow-Origin", "http://localhost:3000"},
                           {"Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, DELETE, OPTIONS"},
                           {"Access-Control-Allow-Headers", "authorization, content-type"},
                           {"Access-Control-Max-Age", "600"},
                           {"Access-Control-Allow-Private-Network", "true"}}));
    const CorsPolicy listed({QStringLiteral("http://good.test")}, QHostAddress(QHostAddress::LocalHost), 8080);
    QVERIFY(listed.preflightHeaders("http://evil.test", "authorization") == HeaderList({{"Vary", "Origin"}}));
}

QTEST_GUILESS_MAIN(TestCorsPolicy)
#include "tst_corspolicy.moc"
