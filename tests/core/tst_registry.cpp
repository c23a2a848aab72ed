// ModelUrl parsing and HandlerRegistry lookups (spec §4.6 paths, §4.8 routing).
#include "file/filehandler.h"
#include "schemes/schemes.h"
#include "base/job.h"
#include "handlers/registry.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;
using namespace tfjs::test;

namespace {

// A handler that remembers the URL it was made for.
class FakeHandler final : public IOHandler
{
public:
    explicit FakeHandler(ModelUrl url) : url(std::move(url)) {}
    Result<ModelArtifacts> load(JobContext &, const LoadOptions &) override { return ModelArtifacts{}; }
    Result<SaveResult> save(const ModelArtifacts &, JobContext &) override { return SaveResult{}; }
    ModelUrl url;
};

HandlerRegistry::Factory fake()
{
    return [](const ModelUrl &url) -> Result<std::unique_ptr<IOHandler>> {
        return std::make_unique<FakeHandler>(url);
    };
}

} // namespace

class TestRegistry : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void parseErrors_data();
    void parseErrors();

    void lookup();
    void unknownScheme();
    void factoryErrorPassesThrough();
    void schemesAreCaseInsensitive();

    void defaultRegistryFile_data();
    void defaultRegistryFile();
    void defaultRegistryEmptyFilePath();
    void defaultRegistryUnknownScheme();

    void urlsPrintAndLocalPaths();
    void entriesInRankThenRegistrationOrder();
    void capabilitiesOfUrls();
    void storesInRegistrationOrder();
    void defaultRegistryDeclaresEachScheme();
};

void TestRegistry::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<QString>("path");
    QTest::newRow("plain relative path") << QStringLiteral("models/m1") << QStringLiteral("file")
                                         << QStringLiteral("models/m1");
    QTest::newRow("plain absolute path") << QStringLiteral("/tmp/m/model.json")
                                         << QStringLiteral("file") << QStringLiteral("/tmp/m/model.json");
    QTest::newRow("file:///abs") << QStringLiteral("file:///abs/model.json") << QStringLiteral("file")
                                 << QStringLiteral("/abs/model.json");
    QTest::newRow("file://rel") << QStringLiteral("file://rel/model.json") << QStringLiteral("file")
                                << QStringLiteral("rel/model.json");
    QTest::newRow("file://./rel") << QStringLiteral("file://./rel") << QStringLiteral("file")
                                  << QStringLiteral("./rel");
    QTest::newRow("upper-case scheme") << QStringLiteral("FILE:///x") << QStringLiteral("file")
                                       << QStringLiteral("/x");
    QTest::newRow("store scheme") << QStringLiteral("indexeddb://my/model")
                                  << QStringLiteral("indexeddb") << QStringLiteral("my/model");
    QTest::newRow("http with query") << QStringLiteral("https://h:8080/m/model.json?x=1")
                                     << QStringLiteral("https")
                                     << QStringLiteral("h:8080/m/model.json?x=1");
    QTest::newRow("path holding ://") << QStringLiteral("localstorage://a://b")
                                      << QStringLiteral("localstorage") << QStringLiteral("a://b");
    QTest::newRow("empty path") << QStringLiteral("file://") << QStringLiteral("file") << QString();
    QTest::newRow("scheme with + . -") << QStringLiteral("a+b.c-d://x") << QStringLiteral("a+b.c-d")
                                       << QStringLiteral("x");
    QTest::newRow("Windows path") << QStringLiteral("C:\\models\\m") << QStringLiteral("file")
                                  << QStringLiteral("C:\\models\\m");
    QTest::newRow("non-ASCII path") << QStringLiteral("модели/重み") << QStringLiteral("file")
                                    << QStringLiteral("модели/重み");
}

void TestRegistry::parse()
{
    QFETCH(QString, text);
    QFETCH(QString, scheme);
    QFETCH(QString, path);
    auto url = ModelUrl::parse(text);
    TFJS_VERIFY_OK(url);
    QCOMPARE(url->scheme, scheme);
    QCOMPARE(url->path, path);
    QCOMPARE(url->text, text);
    QCOMPARE(url->toString(), scheme + QStringLiteral("://") + path);
}

void TestRegistry::parseErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << QString() << QStringLiteral("The model URL is empty.");
    QTest::newRow("blank") << QStringLiteral("  \t") << QStringLiteral("The model URL is empty.");
    QTest::newRow("no scheme before ://") << QStringLiteral("://x")
                                          << QStringLiteral("'' is not a valid URL scheme in '://x'.");
    QTest::newRow("scheme starting with a digit")
        << QStringLiteral("1x://y") << QStringLiteral("'1x' is not a valid URL scheme in '1x://y'.");
    QTest::newRow("space in scheme") << QStringLiteral("my store://m")
                                     << QStringLiteral("'my store' is not a valid URL scheme in "
                                                       "'my store://m'.");
}

void TestRegistry::parseErrors()
{
    QFETCH(QString, text);
    QFETCH(QString, message);
    TFJS_COMPARE_ERROR(ModelUrl::parse(text), ErrorCode::InvalidArgument, message);
}

void TestRegistry::lookup()
{
    HandlerRegistry registry;
    registry.add(QStringLiteral("mem"), fake());
    registry.add(QStringLiteral("file"), fake());
    QVERIFY(registry.has(QStringLiteral("mem")));
    QVERIFY(!registry.has(QStringLiteral("http")));
    QCOMPARE(registry.schemes(), (QStringList{QStringLiteral("file"), QStringLiteral("mem")}));
    auto handler = registry.handlerFor(QStringLiteral("mem://a/b"));
    TFJS_VERIFY_OK(handler);
    auto *made = dynamic_cast<FakeHandler *>(handler->get());
    QVERIFY(made);
    QCOMPARE(made->url.scheme, QStringLiteral("mem"));
    QCOMPARE(made->url.path, QStringLiteral("a/b"));
    // A plain path goes to file://.
    auto plain = registry.handlerFor(QStringLiteral("some/folder"));
    TFJS_VERIFY_OK(plain);
    QCOMPARE(dynamic_cast<FakeHandler *>(plain->get())->url.scheme, QStringLiteral("file"));
}

void TestRegistry::unknownScheme()
{
    HandlerRegistry registry;
    registry.add(QStringLiteral("mem"), fake());
    registry.add(QStringLiteral("file"), fake());
    auto handler = registry.handlerFor(QStringLiteral("ftp://host/m"));
    TFJS_COMPARE_ERROR(handler, ErrorCode::Unsupported,
                       QStringLiteral("Cannot find a handler for scheme 'ftp' (in 'ftp://host/m'). "
                                      "Supported schemes are: file, mem."));
    QCOMPARE(handler.error().url, QStringLiteral("ftp://host/m"));
    // Errors from parsing come through too.
    TFJS_COMPARE_ERROR(registry.handlerFor(QString()), ErrorCode::InvalidArgument,
                       QStringLiteral("The model URL is empty."));
}

void TestRegistry::factoryErrorPassesThrough()
{
    HandlerRegistry registry;
    registry.add(QStringLiteral("bad"), [](const ModelUrl &url) -> Result<std::unique_ptr<IOHandler>> {
        return fail(ErrorCode::InvalidArgument, QStringLiteral("refused %1").arg(url.path));
    });
    TFJS_COMPARE_ERROR(registry.handlerFor(QStringLiteral("bad://p")), ErrorCode::InvalidArgument,
                       QStringLiteral("refused p"));
}

void TestRegistry::schemesAreCaseInsensitive()
{
    HandlerRegistry registry;
    registry.add(QStringLiteral("MeM"), fake());
    QVERIFY(registry.has(QStringLiteral("mem")));
    QVERIFY(registry.has(QStringLiteral("MEM")));
    QCOMPARE(registry.schemes(), QStringList{QStringLiteral("mem")});
    TFJS_VERIFY_OK(registry.handlerFor(QStringLiteral("MEM://x")));
}

void TestRegistry::defaultRegistryFile_data()
{
    QTest::addColumn<QString>("prefix"); // how the model's absolute path is written
    QTest::newRow("plain path") << QString();
    QTest::newRow("file:///abs") << QStringLiteral("file://");
    QTest::newRow("FILE:///abs") << QStringLiteral("FILE://");
}

void TestRegistry::defaultRegistryFile()
{
    QFETCH(QString, prefix);
    QTemporaryDir tmp;
    writeSmallModel(tmp.path());
    const HandlerRegistry registry = makeDefaultRegistry();
    QVERIFY(registry.has(QStringLiteral("file")));
    auto handler = registry.handlerFor(prefix + tmp.path());
    TFJS_VERIFY_OK(handler);
    QVERIFY(dynamic_cast<FileHandler *>(handler->get()));
    JobContext ctx;
    auto loaded = (*handler)->load(ctx);
    TFJS_VERIFY_OK(loaded);
    QCOMPARE(*loaded->weightData.readAll(), smallWeights());
}

void TestRegistry::defaultRegistryEmptyFilePath()
{
    TFJS_COMPARE_ERROR(makeDefaultRegistry().handlerFor(QStringLiteral("file://")),
                       ErrorCode::InvalidArgument, QStringLiteral("The file path in 'file://' is empty."));
}

void TestRegistry::defaultRegistryUnknownScheme()
{
    const HandlerRegistry registry = makeDefaultRegistry();
    const QStringList schemes = registry.schemes();
    QVERIFY(schemes.contains(QStringLiteral("file")));
    QVERIFY(!schemes.contains(QStringLiteral("nope")));
    TFJS_COMPARE_ERROR(registry.handlerFor(QStringLiteral("nope://m")), ErrorCode::Unsupported,
                       QStringLiteral("Cannot find a handler for scheme 'nope' (in 'nope://m'). "
                                      "Supported schemes are: %1.")
                           .arg(schemes.join(QStringLiteral(", "))));
}

void TestRegistry::urlsPrintAndLocalPaths()
{
    QCOMPARE(ModelUrl::make(QStringLiteral("indexeddb"), QStringLiteral("a/b")), QStringLiteral("indexeddb://a/b"));
    QCOMPARE(ModelUrl::fromLocalPath(QStringLiteral("/m/x")), QStringLiteral("file:///m/x"));
    QCOMPARE(ModelUrl::localPath(QStringLiteral("file:///m/x")), QStringLiteral("/m/x"));
    QCOMPARE(ModelUrl::localPath(QStringLiteral("FILE:///m/x")), QStringLiteral("/m/x"));
    QCOMPARE(ModelUrl::localPath(QStringLiteral("/m/x")), QStringLiteral("/m/x")); // a plain path
    QCOMPARE(ModelUrl::localPath(QStringLiteral("indexeddb://m")), QString());
    QCOMPARE(ModelUrl::localPath(QStringLiteral("1x://m")), QString()); // not a URL
    QCOMPARE(ModelUrl::schemeName(QStringLiteral("IndexedDB://")), QStringLiteral("indexeddb"));
    QCOMPARE(ModelUrl::parse(QStringLiteral("Mem://a://b"))->toString(), QStringLiteral("mem://a://b"));
}

namespace {

SchemeInfo scheme(const QString &name, Capabilities capabilities, int rank)
{
    SchemeInfo info;
    info.scheme = name;
    info.capabilities = capabilities;
    info.rank = rank;
    return info;
}

QStringList names(const std::vector<SchemeInfo> &entries)
{
    QStringList out;
    for (const SchemeInfo &info : entries)
        out << info.scheme;
    return out;
}

HandlerRegistry::StoreFactory noStore(const QString &why)
{
    return [why]() -> Result<std::unique_ptr<ModelStoreManager>> {
        return fail(ErrorCode::Io, why);
    };
}

} // namespace

void TestRegistry::entriesInRankThenRegistrationOrder()
{
    HandlerRegistry registry;
    registry.add(scheme(QStringLiteral("c"), Capability::Load, 5), fake());
    registry.add(scheme(QStringLiteral("b"), Capability::Save, 1), fake());
    registry.add(scheme(QStringLiteral("a"), Capability::Load | Capability::Save, 5), fake());
    registry.add(QStringLiteral("plain"), fake());
    QCOMPARE(names(registry.entries()), QStringLiteral("b,c,a,plain").split(QLatin1Char(',')));
    QCOMPARE(names(registry.entriesWith(Capability::Save)), QStringLiteral("b,a,plain").split(QLatin1Char(',')));
    QCOMPARE(registry.schemes(), QStringLiteral("a,b,c,plain").split(QLatin1Char(','))); // by name
    // A plain add loads and saves and is shown by its name.
    QCOMPARE(registry.info(QStringLiteral("PLAIN://"))->displayName, QStringLiteral("plain"));
    QVERIFY(registry.info(QStringLiteral("plain"))->can(Capability::Load));
    QVERIFY(!registry.info(QStringLiteral("plain"))->can(Capability::List));
    QCOMPARE(registry.info(QStringLiteral("none")), nullptr);
    // Adding a scheme again replaces its entry in place.
    registry.add(scheme(QStringLiteral("C"), Capability::Save, 5), fake());
    QCOMPARE(names(registry.entries()), QStringLiteral("b,c,a,plain").split(QLatin1Char(',')));
    QVERIFY(!registry.info(QStringLiteral("c"))->can(Capability::Load));
}

void TestRegistry::capabilitiesOfUrls()
{
    HandlerRegistry registry;
    registry.add(scheme(QStringLiteral("mem"), Capability::Save | Capability::Remove, 0), fake());
    QVERIFY(registry.can(QStringLiteral("mem://a"), Capability::Remove));
    QVERIFY(!registry.can(QStringLiteral("mem://a"), Capability::Rename));
    QVERIFY(!registry.can(QStringLiteral("other://a"), Capability::Save));
    QVERIFY(!registry.can(QStringLiteral("/a/plain/path"), Capability::Save)); // file:// unknown here
    QVERIFY(!registry.can(QString(), Capability::Save));
}

void TestRegistry::storesInRegistrationOrder()
{
    HandlerRegistry registry;
    registry.add(scheme(QStringLiteral("z"), Capability::List, 9), fake(), noStore(QStringLiteral("z is closed")));
    registry.add(scheme(QStringLiteral("loads"), Capability::Load, 0), fake());
    registry.add(scheme(QStringLiteral("y"), Capability::List, 0), fake(), noStore(QStringLiteral("y is closed")));
    QCOMPARE(registry.storeSchemes(), QStringLiteral("z,y").split(QLatin1Char(',')));
    // The store factory's own error passes through.
    auto opened = registry.storeFor(QStringLiteral("Y"));
    QVERIFY(!opened);
    QCOMPARE(opened.error().message, QStringLiteral("y is closed"));
    for (const QString &name : {QStringLiteral("loads"), QStringLiteral("nope")}) {
        auto none = registry.storeFor(name);
        QVERIFY(!none);
        QCOMPARE(none.error().code, ErrorCode::Unsupported);
        QCOMPARE(none.error().message, QStringLiteral("Cannot find model manager for scheme '%1'").arg(name));
    }
}

void TestRegistry::defaultRegistryDeclaresEachScheme()
{
    qunsetenv("TFJS_TEAM");
    const HandlerRegistry registry = makeDefaultRegistry();
    QCOMPARE(names(registry.entries()),
             QStringLiteral("indexeddb,localstorage,team,file,downloads,http,https,firefox,chromium")
                 .split(QLatin1Char(',')));
    QCOMPARE(registry.storeSchemes(), QStringLiteral("localstorage,indexeddb").split(QLatin1Char(','))); // TF.js's order
    const Capabilities store = Capability::Load | Capability::Save | Capability::List
                               | Capability::Remove | Capability::Rename | Capability::Trash;
    QCOMPARE(registry.info(QStringLiteral("indexeddb"))->capabilities, store);
    QCOMPARE(registry.info(QStringLiteral("localstorage"))->capabilities, store);
    QCOMPARE(registry.info(QStringLiteral("indexeddb"))->displayName, QStringLiteral("Model store"));
    QCOMPARE(registry.info(QStringLiteral("localstorage"))->trashName, QStringLiteral("Local storage trash"));
    QCOMPARE(registry.info(QStringLiteral("file"))->capabilities,
             Capability::Load | Capability::Save | Capability::Watch);
    QCOMPARE(registry.info(QStringLiteral("file"))->location, SchemeLocation::Folder);
    QCOMPARE(registry.info(QStringLiteral("downloads"))->capabilities, Capabilities(Capability::Save));
    QCOMPARE(registry.info(QStringLiteral("downloads"))->defaultName, QStringLiteral("model"));
    QCOMPARE(registry.info(QStringLiteral("https"))->location, SchemeLocation::Url);
    // Browser profiles are read-only and found, not kept.
    for (const QString &browser : {QStringLiteral("firefox"), QStringLiteral("chromium")})
        QCOMPARE(registry.info(browser)->capabilities, Capability::Load | Capability::Find);
    QVERIFY(registry.entriesWith(Capability::Save).size() == 6);
    // The team store without a URI: its URLs still make handlers (which say what to set), but
    // lists, Save To and the browser leave it out.
    QCOMPARE(registry.info(QStringLiteral("team"))->capabilities, Capabilities());
    QVERIFY(registry.handlerFor(QStringLiteral("team://m")).has_value());
    HandlerOptions team;
    team.teamUri = QStringLiteral("postgresql:///models");
    const HandlerRegistry withTeam = makeDefaultRegistry(team);
    QCOMPARE(withTeam.info(QStringLiteral("team"))->capabilities, store);
    QCOMPARE(withTeam.info(QStringLiteral("team"))->displayName, QStringLiteral("Team store"));
    QCOMPARE(withTeam.storeSchemes(), QStringLiteral("localstorage,indexeddb,team").split(QLatin1Char(',')));
}

QTEST_GUILESS_MAIN(TestRegistry)
#include "tst_registry.moc"
