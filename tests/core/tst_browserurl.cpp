// Browser URLs (firefox://, chromium://): profile and model URLs print and parse back to the
// same parts, whatever characters the profile path, origin and model path hold; malformed ones
// are refused with a message naming the URL.
#include "browser/browserurl.h"

#include <QTest>

using namespace tfjs;

class TestBrowserUrl : public QObject
{
    Q_OBJECT

private slots:
    void modelRoundTrip_data()
    {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QString>("origin");
        QTest::addColumn<int>("storage");
        QTest::addColumn<QString>("path");
        QTest::newRow("plain") << "/home/u/.mozilla/firefox/ab12.default-esr"
                               << "http://127.0.0.1:8765" << int(BrowserStorage::IndexedDb) << "my-model";
        QTest::newRow("spaces, ? and & in the profile")
            << "/tmp/Profile 1/a?b&c=d#e%20" << "file://" << int(BrowserStorage::LocalStorage)
            << "m";
        QTest::newRow("non-ASCII and emoji model")
            << "/tmp/p" << "https://example.com" << int(BrowserStorage::IndexedDb)
            << QStringLiteral("модель/😀 & co?x=1");
        QTest::newRow("slashes, + and = in the model")
            << "/tmp/p" << "http://h:1" << int(BrowserStorage::LocalStorage) << "a/b+c=d%e";
    }
    void modelRoundTrip()
    {
        QFETCH(QString, profile);
        QFETCH(QString, origin);
        QFETCH(int, storage);
        QFETCH(QString, path);
        const BrowserModelRef ref{profile, origin, BrowserStorage(storage), path};
        const QString text = ModelUrl::make(QStringLiteral("firefox"), BrowserUrl::modelPath(ref));
        auto url = ModelUrl::parse(text);
        QVERIFY(url.has_value());
        QCOMPARE(url->scheme, QStringLiteral("firefox"));
        auto parsed = BrowserUrl::parse(*url);
        QVERIFY2(parsed.has_value(), qPrintable(parsed ? QString() : parsed.error().message));
        QCOMPARE(parsed->profile, profile);
        QVERIFY(parsed->model.has_value());
        QCOMPARE(parsed->model->profile, profile);
        QCOMPARE(parsed->model->origin, origin);
        QCOMPARE(int(parsed->model->storage), storage);
        QCOMPARE(parsed->model->path, path);
    }

    void profileAndEveryProfile()
    {
        auto all = BrowserUrl::parse(*ModelUrl::parse(QStringLiteral("chromium://")));
        QVERIFY(all.has_value());
        QCOMPARE(all->scheme, QStringLiteral("chromium"));
        QVERIFY(all->profile.isEmpty());
        QVERIFY(!all->model);

        const QString folder = QStringLiteral("/home/u/.config/chromium/Profile 1");
        const QString text = ModelUrl::make(QStringLiteral("chromium"), BrowserUrl::profilePath(folder));
        QCOMPARE(text, QStringLiteral("chromium:///home/u/.config/chromium/Profile%201"));
        auto one = BrowserUrl::parse(*ModelUrl::parse(text));
        QVERIFY(one.has_value());
        QCOMPARE(one->profile, folder);
        QVERIFY(!one->model);
        // A profile typed by hand, unencoded, parses too.
        auto typed = BrowserUrl::parse(*ModelUrl::parse(QStringLiteral("chromium:///tmp/x/")));
        QVERIFY(typed.has_value());
        QCOMPARE(typed->profile, QStringLiteral("/tmp/x"));
    }

    void refused_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("why");
        QTest::newRow("relative profile") << "firefox://profiles/x" << "not an absolute path";
        QTest::newRow("no origin") << "firefox:///p?storage=indexeddb&model=m"
                                   << "lacks origin, storage or model";
        QTest::newRow("no model") << "firefox:///p?origin=o&storage=indexeddb"
                                  << "lacks origin, storage or model";
        QTest::newRow("unknown storage") << "firefox:///p?origin=o&storage=cookies&model=m"
                                         << "unknown storage 'cookies'";
    }
    void refused()
    {
        QFETCH(QString, text);
        QFETCH(QString, why);
        auto parsed = BrowserUrl::parse(*ModelUrl::parse(text));
        QVERIFY(!parsed.has_value());
        QCOMPARE(parsed.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(parsed.error().message.contains(why), qPrintable(parsed.error().message));
        QVERIFY2(parsed.error().message.contains(text), qPrintable(parsed.error().message));
    }
};

QTEST_GUILESS_MAIN(TestBrowserUrl)
#include "tst_browserurl.moc"
