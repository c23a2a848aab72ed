#pragma once

#include "openedmodel.h"

#include <QTextBrowser>

namespace tfjs::ui {

// The Overview tab: format, generator/converter, sizes, dates, shards and metadata of the
// opened model, as a read-only page.
class OverviewPage final : public QTextBrowser
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OverviewPage)

public:
    explicit OverviewPage(QWidget *parent = nullptr);
    void setModel(const OpenedModelPtr &model);
};

// The page's HTML (separate for tests).
QString overviewHtml(const OpenedModel &model);

} // namespace tfjs::ui
