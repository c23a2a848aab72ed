#include "topologypage.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace tfjs::ui {

namespace {
QTableView *makeTable(QAbstractItemModel *model, QWidget *parent)
{
    auto *table = new QTableView(parent);
    table->setModel(model);
    table->setSortingEnabled(true);
    table->sortByColumn(-1, Qt::AscendingOrder);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setAlternatingRowColors(true);
    table->setWordWrap(false);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 6);
    table->horizontalHeader()->setStretchLastSection(true);
    return table;
}
} // namespace

TopologyPage::TopologyPage(QWidget *parent) : QWidget(parent)
{
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_filterEdit = new QLineEdit(this);
    m_filterEdit->setPlaceholderText(tr("Filter rows"));
    m_filterEdit->setClearButtonEnabled(true);

    m_model = new RowTableModel({}, this);
    m_filter = new RowFilterModel(this);
    m_filter->setSourceModel(m_model);
    m_table = makeTable(m_filter, this);

    m_second = new RowTableModel({}, this);
    m_secondFilter = new RowFilterModel(this);
    m_secondFilter->setSourceModel(m_second);
    auto *secondBox = new QWidget(this);
    auto *secondLayout = new QVBoxLayout(secondBox);
    secondLayout->setContentsMargins(0, 0, 0, 0);
    m_secondTitle = new QLabel(secondBox);
    m_secondTable = makeTable(m_secondFilter, secondBox);
    secondLayout->addWidget(m_secondTitle);
    secondLayout->addWidget(m_secondTable, 1);
    secondBox->hide();

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(secondBox);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_filterEdit);
    layout->addWidget(splitter, 1);

    connect(m_filterEdit, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_filter->setText(text);
        m_secondFilter->setText(text);
    });
    setMessage(tr("Open a model to see its topology."));
}

void TopologyPage::setTable(const QStringList &headers, std::vector<RowTableModel::Row> rows,
                            RowTableModel::Row total, const QString &summary)
{
    auto *model = new RowTableModel(headers, this);
    model->setRows(std::move(rows), std::move(total));
    m_filter->setSourceModel(model);
    m_model->deleteLater();
    m_model = model;
    m_summary->setText(summary);
    m_table->setVisible(true);
    m_table->resizeColumnsToContents();
    for (int column = 0; column < headers.size(); ++column)
        m_table->setColumnWidth(column, std::min(m_table->columnWidth(column), 320));
}

void TopologyPage::setSecondTable(const QStringList &headers, std::vector<RowTableModel::Row> rows,
                                  const QString &title)
{
    QWidget *box = m_secondTable->parentWidget();
    if (headers.isEmpty()) {
        box->hide();
        return;
    }
    auto *model = new RowTableModel(headers, this);
    model->setRows(std::move(rows));
    m_secondFilter->setSourceModel(model);
    m_second->deleteLater();
    m_second = model;
    m_secondTitle->setText(title);
    m_secondTable->resizeColumnsToContents();
    box->show();
}

void TopologyPage::setMessage(const QString &message)
{
    m_summary->setText(message);
    m_model->clear();
    m_second->clear();
    m_secondTable->parentWidget()->hide();
}

} // namespace tfjs::ui
