#include "mainwindow.h"

#include <QApplication>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("tfjs-model-manager"));
    QApplication::setApplicationDisplayName(QStringLiteral("TFJS Model Manager"));
    QApplication::setOrganizationName(QStringLiteral("tfjs-model-manager"));
    tfjs::ui::MainWindow window;
    window.show();
    const QStringList args = QApplication::arguments().mid(1);
    if (!args.isEmpty())
        window.openModel(args.front());
    return app.exec();
}
