#include "app/ui/ForwardDialog.h"

#include "app/models/ConversationListModel.h"
#include "app/ui/ClearButton.h"

#include <QDialogButtonBox>
#include <QEvent>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace tern::app::ui {

using models::ConversationListModel;

namespace {
constexpr int kConversationRole = Qt::UserRole + 1;
// A chat name is shown on one line; a longer one from the network is cut first.
constexpr int kMaxNameChars = 200;
} // namespace

ForwardDialog::ForwardDialog(const ConversationListModel *list, QWidget *parent)
    : QDialog(parent), m_filter(new QLineEdit(this)), m_list(new QListWidget(this)),
      m_empty(new QLabel(this)), m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this)),
      m_forward(m_buttons->addButton(QString(), QDialogButtonBox::AcceptRole))
{
    setObjectName(QStringLiteral("forwardDialog"));
    m_filter->setObjectName(QStringLiteral("forwardFilterEdit"));
    m_list->setObjectName(QStringLiteral("forwardChatList"));
    m_forward->setObjectName(QStringLiteral("forwardButton"));
    m_buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));
    m_empty->setObjectName(QStringLiteral("forwardEmptyLabel"));
    m_empty->setTextFormat(Qt::PlainText);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->hide();
    m_filter->installEventFilter(this);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setUniformItemSizes(true);

    for (int row = 0; list && row < list->rowCount(); ++row) {
        const QModelIndex index = list->index(row);
        QString name = index.data(ConversationListModel::NameRole).toString().left(kMaxNameChars);
        name.replace(QLatin1Char('\n'), QLatin1Char(' '));
        auto *item = new QListWidgetItem(name, m_list);
        item->setData(kConversationRole, index.data(ConversationListModel::ConversationIdRole));
        // Not ItemIsUserCheckable: the whole row toggles (click, Space), not only the small box,
        // which the delegate would toggle a second time.
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        item->setCheckState(Qt::Unchecked);
    }
    if (m_list->count() > 0)
        m_list->setCurrentRow(0);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_filter);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_empty);
    layout->addWidget(m_buttons);
    connect(m_filter, &QLineEdit::textChanged, this, &ForwardDialog::applyFilter);
    connect(m_list, &QListWidget::itemChanged, this, &ForwardDialog::updateButton);
    connect(m_list, &QListWidget::itemClicked, this, &ForwardDialog::toggle);
    m_list->installEventFilter(this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (!chosenConversations().isEmpty())
            accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    retranslate();
    updateButton();
    const int unit = fontMetrics().height();
    resize(unit * 22, unit * 26);
    m_filter->setFocus();
}

void ForwardDialog::retranslate()
{
    setWindowTitle(tr("Forward message"));
    m_filter->setPlaceholderText(tr("Search chats"));
    enableNamedClearButton(m_filter, QStringLiteral("forwardFilterClearButton"),
                           tr("Clear search"));
    m_filter->setAccessibleName(tr("Search chats"));
    m_list->setAccessibleName(tr("Chats to forward to"));
    m_list->setAccessibleDescription(tr("Space checks a chat, Enter forwards"));
    m_empty->setText(tr("No chat matches"));
    updateButton();
}

void ForwardDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

QStringList ForwardDialog::chosenConversations() const
{
    QStringList out;
    for (int row = 0; row < m_list->count(); ++row) {
        const QListWidgetItem *item = m_list->item(row);
        if (item->checkState() == Qt::Checked)
            out.append(item->data(kConversationRole).toString());
    }
    return out;
}

void ForwardDialog::setChosen(const QString &conversation, bool chosen)
{
    for (int row = 0; row < m_list->count(); ++row) {
        QListWidgetItem *item = m_list->item(row);
        if (item->data(kConversationRole).toString() == conversation)
            item->setCheckState(chosen ? Qt::Checked : Qt::Unchecked);
    }
}

void ForwardDialog::toggle(QListWidgetItem *item)
{
    if (item)
        item->setCheckState(item->checkState() == Qt::Checked ? Qt::Unchecked : Qt::Checked);
}

void ForwardDialog::updateButton()
{
    const int count = int(chosenConversations().size());
    m_forward->setEnabled(count > 0);
    m_forward->setText(count > 1 ? tr("Forward to %n chat(s)", nullptr, count) : tr("Forward"));
    m_forward->setDefault(true);
}

void ForwardDialog::applyFilter(const QString &text)
{
    const QString needle = text.trimmed();
    QListWidgetItem *first = nullptr;
    for (int row = 0; row < m_list->count(); ++row) {
        QListWidgetItem *item = m_list->item(row);
        const bool shown = needle.isEmpty() || item->text().contains(needle, Qt::CaseInsensitive);
        item->setHidden(!shown);
        if (shown && !first)
            first = item;
    }
    if (first)
        m_list->setCurrentItem(first);
    m_empty->setVisible(!first);
}

bool ForwardDialog::eventFilter(QObject *watched, QEvent *event)
{
    // From the filter, Down goes to the list; Enter forwards (or checks the only match).
    if (watched == m_filter && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Down) {
            m_list->setFocus(Qt::TabFocusReason);
            return true;
        }
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) &&
            chosenConversations().isEmpty()) {
            if (QListWidgetItem *item = m_list->currentItem(); item && !item->isHidden())
                item->setCheckState(Qt::Checked);
            return true;
        }
    }
    if (watched == m_list && event->type() == QEvent::KeyPress &&
        static_cast<QKeyEvent *>(event)->key() == Qt::Key_Space) {
        toggle(m_list->currentItem());
        return true;
    }
    return QDialog::eventFilter(watched, event);
}

} // namespace tern::app::ui
