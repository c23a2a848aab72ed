#include "buildinfo.h"
#include "icons.h"
#include "inspectorwidget.h"
#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

// tfjs-manager [PATH-or-URL…]: the desktop app; opens the given models at start.
// --screenshot FILE: once the models are open and inspected, saves the window as FILE and exits
// (used to make docs/screenshot.png under xvfb-run).
int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("tfjs-model-manager"));
    QApplication::setApplicationDisplayName(QStringLiteral("TFJS Model Manager"));
    QApplication::setOrganizationName(QStringLiteral("tfjs-model-manager"));
    QApplication::setApplicationVersion(QStringLiteral(TFJS_VERSION_TEXT));
    QGuiApplication::setDesktopFileName(QStringLiteral("tfjs-manager"));
    QApplication::setWindowIcon(tfjs::ui::icon(tfjs::ui::IconId::App));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Browse, inspect, convert and upload TensorFlow.js models."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("models"),
                                 QStringLiteral("Model JSON files, folders or URLs to open."),
                                 QStringLiteral("[PATH-or-URL…]"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Save a screenshot of the window to FILE and exit."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption tab(QStringLiteral("tab"),
                                 QStringLiteral("Inspector tab to show first (0-3)."), QStringLiteral("N"));
    parser.addOption(screenshot);
    parser.addOption(tab);
    parser.process(app);

    tfjs::ui::MainWindow window;
    if (parser.isSet(tab))
        window.inspector()->setCurrentIndex(parser.value(tab).toInt());
    if (parser.isSet(screenshot)) // the whole screen of `xvfb-run -s '-screen 0 1400x900x24'`
        window.resize(1400, 900);
    window.show();
    window.openArguments(parser.positionalArguments());

    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        // Grab once the statistics are in (or after a timeout), giving the charts time to paint.
        auto grab = [&window, file] {
            QTimer::singleShot(800, &window, [&window, file] {
                window.grab().save(file);
                QApplication::quit();
            });
        };
        QObject::connect(window.inspector(), &tfjs::ui::InspectorWidget::statisticsFinished, &window, grab);
        QTimer::singleShot(20000, &window, grab);
    }
    return app.exec();
}
