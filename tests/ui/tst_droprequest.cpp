#include "droprequest.h"

#include "testmodels.h"

#include "schemes/schemes.h"

#include <QMimeData>
#include <QTemporaryDir>
#include <QTest>

using namespace tfjs::ui;

class TestDropRequest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    tfjs::HandlerRegistry m_registry;
    QString path(const QString &name) const { return m_dir.filePath(name); }
    QUrl local(const QString &name) const { return QUrl::fromLocalFile(path(name)); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        tfjs::HandlerOptions options;
        options.storeDir = path(QStringLiteral("store"));
        options.downloadsDir = path(QStringLiteral("Downloads"));
        m_registry = tfjs::makeDefaultRegistry(options);
        tfjs::uitest::writeDenseModel(path(QStringLiteral("folder")));
        tfjs::uitest::writeFile(path(QStringLiteral("a.json")), "{}");
        tfjs::uitest::writeFile(path(QStringLiteral("b.json")), "{}");
        tfjs::uitest::writeFile(path(QStringLiteral("w1.bin")), "x");
        tfjs::uitest::writeFile(path(QStringLiteral("w2.bin")), "y");
    }

    void folderOfModelsIsForTheBrowser()
    {
        // A folder holding models deeper (no model.json, no lone JSON) is a folder of models.
        tfjs::uitest::writeDenseModel(path(QStringLiteral("zoo/a")));
        tfjs::uitest::writeDenseModel(path(QStringLiteral("zoo/b")));
        DropRequest request = dropRequestFor({local(QStringLiteral("zoo")), local(QStringLiteral("folder"))}, m_registry);
        QVERIFY(request.ok());
        QCOMPARE(request.folders, QStringList{path(QStringLiteral("zoo"))});
        QCOMPARE(request.sources.size(), std::size_t(1));
        QCOMPARE(request.sources[0], ModelSource::fromUrl(path(QStringLiteral("folder"))));
    }

    void classify()
    {
        // A folder opens its model.
        DropRequest request = dropRequestFor({local(QStringLiteral("folder"))}, m_registry);
        QVERIFY(request.ok());
        QCOMPARE(request.sources.size(), std::size_t(1));
        QCOMPARE(request.sources[0], ModelSource::fromUrl(path(QStringLiteral("folder"))));

        // A lone JSON opens with its shards resolved next to it.
        request = dropRequestFor({local(QStringLiteral("a.json"))}, m_registry);
        QVERIFY(request.ok());
        QCOMPARE(request.sources[0], ModelSource::fromUrl(path(QStringLiteral("a.json"))));

        // JSON + weight files, in any order, become one file set with the JSON first.
        request = dropRequestFor({local(QStringLiteral("w2.bin")), local(QStringLiteral("a.json")), local(QStringLiteral("w1.bin"))}, m_registry);
        QVERIFY(request.ok());
        QCOMPARE(request.sources.size(), std::size_t(1));
        QCOMPARE(request.sources[0].files,
                 (QStringList{path(QStringLiteral("a.json")), path(QStringLiteral("w2.bin")), path(QStringLiteral("w1.bin"))}));

        // Several JSONs alone: each opens.
        request = dropRequestFor({local(QStringLiteral("a.json")), local(QStringLiteral("b.json"))}, m_registry);
        QVERIFY(request.ok());
        QCOMPARE(request.sources.size(), std::size_t(2));

        // A URL opens.
        request = dropRequestFor({QUrl(QStringLiteral("https://example.com/m/model.json?v=1"))}, m_registry);
        QVERIFY(request.ok());
        QCOMPARE(request.sources[0].url, QStringLiteral("https://example.com/m/model.json?v=1"));
    }

    // What opens is what the registry can load from: a scheme added to it opens when dropped,
    // with no change here; without it, the same URL is refused.
    void schemesComeFromTheRegistry()
    {
        const QUrl url(QStringLiteral("memory://team/net"));
        DropRequest request = dropRequestFor({url}, m_registry);
        QVERIFY(!request.ok());
        QVERIFY(request.problem.endsWith(QStringLiteral("dropped: memory://team/net.")));

        tfjs::HandlerRegistry withMemory = m_registry;
        withMemory.add(QStringLiteral("memory"),
            [](const tfjs::ModelUrl &) -> tfjs::Result<std::unique_ptr<tfjs::IOHandler>> {
                return tfjs::fail(tfjs::Error{tfjs::ErrorCode::Unsupported, QStringLiteral("unused")});
            });
        request = dropRequestFor({url}, withMemory);
        QVERIFY2(request.ok(), qPrintable(request.problem));
        QCOMPARE(request.sources.size(), std::size_t(1));
        QCOMPARE(request.sources[0].url, url.toString());

        QMimeData text;
        text.setText(url.toString());
        QCOMPARE(droppedUrls(&text), QList<QUrl>{url});
    }

    void refuse_data()
    {
        QTest::addColumn<QList<QUrl>>("urls");
        QTest::addColumn<QString>("problem");
        QTest::newRow("weights without JSON")
            << QList<QUrl>{local(QStringLiteral("w1.bin")), local(QStringLiteral("w2.bin"))}
            << QStringLiteral("No model JSON among the dropped files (w1.bin, w2.bin): drop the model JSON together with its weight files.");
        QTest::newRow("two JSONs with weights")
            << QList<QUrl>{local(QStringLiteral("a.json")), local(QStringLiteral("b.json")), local(QStringLiteral("w1.bin"))}
            << QStringLiteral("Drop one model JSON at a time with its weight files; dropped 2 JSON files: a.json, b.json.");
        QTest::newRow("ftp")
            << QList<QUrl>{QUrl(QStringLiteral("ftp://host/model.json"))}
            << QStringLiteral("Only local files and folders and indexeddb://, localstorage://, "
                              "http://, https://, firefox://, chromium:// URLs can be opened; dropped: "
                              "ftp://host/model.json.");
        QTest::newRow("nothing") << QList<QUrl>{} << QStringLiteral("Nothing to open was dropped.");
    }

    void refuse()
    {
        QFETCH(QList<QUrl>, urls);
        QFETCH(QString, problem);
        const DropRequest request = dropRequestFor(urls, m_registry);
        QVERIFY(!request.ok());
        QVERIFY(request.sources.empty());
        QCOMPARE(request.problem, problem);
    }

    void mimeData()
    {
        QMimeData text;
        text.setText(QStringLiteral("  https://example.com/model.json \n"));
        QCOMPARE(droppedUrls(&text), QList<QUrl>{QUrl(QStringLiteral("https://example.com/model.json"))});
        QMimeData prose;
        prose.setText(QStringLiteral("not a url"));
        QVERIFY(!canDrop(&prose));
        QMimeData files;
        files.setUrls({local(QStringLiteral("a.json"))});
        QVERIFY(canDrop(&files));
    }

    void suggestedName_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("name");
        QTest::newRow("folder/model.json") << QStringLiteral("/x/mobilenet/model.json") << QStringLiteral("mobilenet");
        QTest::newRow("named json") << QStringLiteral("/x/my-net.json") << QStringLiteral("my-net");
        QTest::newRow("folder") << QStringLiteral("/x/resnet/") << QStringLiteral("resnet");
        QTest::newRow("http") << QStringLiteral("https://h/a/b/model.json?token=1") << QStringLiteral("b");
        QTest::newRow("store") << QStringLiteral("indexeddb://team/net v2") << QStringLiteral("team/net v2");
    }

    void suggestedName()
    {
        QFETCH(QString, url);
        QFETCH(QString, name);
        QCOMPARE(ModelSource::fromUrl(url).suggestedName(), name);
    }
};

QTEST_MAIN(TestDropRequest)
#include "tst_droprequest.moc"
