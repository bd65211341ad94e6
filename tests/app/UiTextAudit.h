#pragma once

//! Finds English in a German UI (tests, header-only): walks every live widget's visible texts
//! (labels, buttons, titles, tooltips, placeholders, accessible names, tabs, actions and menus,
//! item view rows) and the text painted into every shown window, and reports each text with a
//! word that only the English side of tern_de.ts uses ("members", "today", "cancel").

#include "tests/app/TsCatalog.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAccessible>
#include <QApplication>
#include <QComboBox>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPaintDevice>
#include <QPaintEngine>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QSet>
#include <QTabBar>
#include <QTextDocumentFragment>
#include <QTextEdit>
#include <QWidget>

namespace tern::test {

namespace detail {

//! A paint device that keeps the text drawn on it and nothing else.
class PaintedText : public QPaintDevice
{
public:
    explicit PaintedText(QSize size) : m_size(size) {}
    ~PaintedText() override = default;
    QPaintEngine *paintEngine() const override { return &m_engine; }
    QStringList texts() const { return m_engine.texts; }

protected:
    int metric(PaintDeviceMetric metric) const override
    {
        switch (metric) {
        case PdmWidth:
            return m_size.width();
        case PdmHeight:
            return m_size.height();
        case PdmWidthMM:
            return m_size.width() * 254 / 960;
        case PdmHeightMM:
            return m_size.height() * 254 / 960;
        case PdmNumColors:
            return INT_MAX;
        case PdmDepth:
            return 32;
        case PdmDpiX:
        case PdmDpiY:
        case PdmPhysicalDpiX:
        case PdmPhysicalDpiY:
            return 96;
        case PdmDevicePixelRatio:
            return 1;
        case PdmDevicePixelRatioScaled:
            return int(devicePixelRatioFScale());
        }
        return 0;
    }

private:
    class Engine : public QPaintEngine
    {
    public:
        Engine() : QPaintEngine(QPaintEngine::AllFeatures) {}
        bool begin(QPaintDevice *) override { return true; }
        bool end() override { return true; }
        void updateState(const QPaintEngineState &) override {}
        void drawPixmap(const QRectF &, const QPixmap &, const QRectF &) override {}
        void drawImage(const QRectF &, const QImage &, const QRectF &,
                       Qt::ImageConversionFlags) override
        {}
        void drawPath(const QPainterPath &) override {}
        void drawPolygon(const QPointF *, int, PolygonDrawMode) override {}
        void drawTextItem(const QPointF &, const QTextItem &item) override { texts << item.text(); }
        Type type() const override { return QPaintEngine::User; }
        QStringList texts;
    };

    QSize m_size;
    mutable Engine m_engine;
};

} // namespace detail

class UiTextAudit
{
public:
    //! Learns the English words from `german` (tern_de.ts): every word of a source text that
    //! no translation uses, plus the English names of days and months.
    explicit UiTextAudit(const QList<TsMessage> &german)
    {
        QSet<QString> germanWords;
        for (const TsMessage &message : german) {
            for (const QString &translation : message.translations)
                germanWords.unite(words(translation));
            m_english.unite(words(message.source));
        }
        const QLocale english(QLocale::English), deutsch(QLocale::German);
        for (int i = 1; i <= 12; ++i) {
            for (auto format : {QLocale::LongFormat, QLocale::ShortFormat}) {
                if (i <= 7) {
                    m_english.unite(words(english.dayName(i, format)));
                    germanWords.unite(words(deutsch.dayName(i, format)));
                }
                m_english.unite(words(english.monthName(i, format)));
                germanWords.unite(words(deutsch.monthName(i, format)));
                germanWords.unite(words(deutsch.standaloneMonthName(i, format)));
            }
        }
        // Qt's own buttons and editor menus, in case the app shows them untranslated.
        m_english.unite(words(QStringLiteral("Cancel Apply Close Yes No Undo Redo Cut Copy Paste "
                                             "Delete Select All Save Discard Open Help Reset")));
        m_english.subtract(germanWords);
        // Good German too, though today's translations use them only inside compounds
        // ("Gruppeninfo"): a German text showing them alone is not English.
        m_english.subtract(words(QStringLiteral("Info")));
    }

    const QSet<QString> &englishWords() const { return m_english; }

    //! Words in `text`, lower case ("&Sign in" -> sign, in); mnemonics and placeholders dropped.
    static QSet<QString> words(QString text)
    {
        static const QRegularExpression nonLetters(QStringLiteral("[^\\p{L}]+"),
                                                   QRegularExpression::UseUnicodePropertiesOption);
        static const QRegularExpression placeholders(QStringLiteral("%L?(\\d|n)"));
        // Certificate fingerprints are data, not words: the grouped form's "GO57NNT" held "go",
        // the hex form's pairs can spell "be" or "ad", and a shortened one ends anywhere. So are
        // other codes: a token with a digit in it is not a word.
        static const QRegularExpression fingerprints(QStringLiteral(
            "\\b[A-Z2-7]{7}(-[A-Z2-7]{7})*\\b|\\b[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})+\\b|"
            "\\b[A-Za-z0-9]*[0-9][A-Za-z0-9]*\\b"));
        text.remove(placeholders).remove(fingerprints).remove(QLatin1Char('&'));
        QSet<QString> result;
        for (const QString &word : text.split(nonLetters, Qt::SkipEmptyParts)) {
            if (word.size() >= 2)
                result.insert(word.toLower());
        }
        return result;
    }

    //! "where: “text” (english)" when `text` has an English word, else "".
    QString check(const QString &where, const QString &text) const
    {
        QStringList found;
        for (const QString &word : words(text)) {
            if (m_english.contains(word))
                found << word;
        }
        if (found.isEmpty())
            return {};
        found.sort();
        return QStringLiteral("%1: “%2” (%3)").arg(where, text, found.join(QLatin1Char(',')));
    }

    //! Every problem in the texts of every live widget and what the shown windows paint.
    QStringList auditAll(const QString &state) const
    {
        QSet<QString> problems;
        const auto widgets = QApplication::allWidgets();
        for (QWidget *widget : widgets)
            auditWidget(widget, state, &problems);
        for (QWidget *window : QApplication::topLevelWidgets()) {
            if (!window->isVisible())
                continue;
            detail::PaintedText painted(window->size());
            window->render(&painted);
            for (const QString &text : painted.texts())
                add(&problems, state + QStringLiteral(" painted in ") + name(window), text);
        }
        QStringList list = problems.values();
        list.sort();
        return list;
    }

    //! Every problem in one menu (a context menu while it is open), submenus included.
    QStringList auditMenu(const QMenu *menu, const QString &state) const
    {
        QSet<QString> problems;
        auditWidget(menu, state, &problems);
        QStringList list = problems.values();
        list.sort();
        return list;
    }

private:
    static QString name(const QObject *object)
    {
        QString text = QString::fromLatin1(object->metaObject()->className());
        if (!object->objectName().isEmpty())
            text += QLatin1Char('#') + object->objectName();
        return text;
    }

    void add(QSet<QString> *problems, const QString &where, const QString &text) const
    {
        const QString problem = check(where, text);
        if (!problem.isEmpty())
            problems->insert(problem);
    }

    void auditActions(const QList<QAction *> &actions, const QString &where,
                      QSet<QString> *problems) const
    {
        for (const QAction *action : actions) {
            add(problems, where + QStringLiteral(" action text"), action->text());
            add(problems, where + QStringLiteral(" action toolTip"), action->toolTip());
            add(problems, where + QStringLiteral(" action statusTip"), action->statusTip());
            if (action->menu())
                auditWidget(action->menu(), where, problems);
        }
    }

    void auditModel(const QAbstractItemModel *model, const QString &where,
                    QSet<QString> *problems) const
    {
        static const int roles[] = {Qt::DisplayRole,        Qt::ToolTipRole,
                                    Qt::StatusTipRole,      Qt::WhatsThisRole,
                                    Qt::AccessibleTextRole, Qt::AccessibleDescriptionRole};
        const int rows = qMin(model->rowCount(), 500);
        const int columns = qMin(model->columnCount(), 8);
        for (int row = 0; row < rows; ++row) {
            for (int column = 0; column < columns; ++column) {
                const QModelIndex index = model->index(row, column);
                for (int role : roles) {
                    const QVariant value = index.data(role);
                    if (value.typeId() == QMetaType::QString)
                        add(problems, where + QStringLiteral(" row %1 role %2").arg(row).arg(role),
                            value.toString());
                }
            }
        }
    }

    void auditWidget(const QWidget *widget, const QString &state, QSet<QString> *problems) const
    {
        const QString where = state + QStringLiteral(" | ") + name(widget);
        // Every QString property a user can see or hear, whichever class has it.
        static const char *const properties[] = {
            "windowTitle",           "toolTip",         "statusTip", "whatsThis", "accessibleName",
            "accessibleDescription", "placeholderText", "title",     "text"};
        for (const char *property : properties) {
            const QVariant value = widget->property(property);
            if (value.typeId() != QMetaType::QString)
                continue;
            QString text = value.toString();
            if (qstrcmp(property, "text") == 0) {
                const auto *edit = qobject_cast<const QLineEdit *>(widget);
                if (edit && edit->echoMode() != QLineEdit::Normal)
                    continue; // a password
                const auto *label = qobject_cast<const QLabel *>(widget);
                if (label && label->textFormat() != Qt::PlainText && Qt::mightBeRichText(text))
                    text = QTextDocumentFragment::fromHtml(text).toPlainText();
            }
            add(problems, where + QLatin1Char('.') + QLatin1String(property), text);
        }
        if (QAccessibleInterface *accessible =
                QAccessible::queryAccessibleInterface(const_cast<QWidget *>(widget))) {
            add(problems, where + QStringLiteral(" accessible name"),
                accessible->text(QAccessible::Name));
            add(problems, where + QStringLiteral(" accessible description"),
                accessible->text(QAccessible::Description));
        }
        if (const auto *tabs = qobject_cast<const QTabBar *>(widget)) {
            for (int i = 0; i < tabs->count(); ++i) {
                add(problems, where + QStringLiteral(" tab"), tabs->tabText(i));
                add(problems, where + QStringLiteral(" tab toolTip"), tabs->tabToolTip(i));
                add(problems, where + QStringLiteral(" tab accessible name"),
                    tabs->accessibleTabName(i));
            }
        }
        if (const auto *combo = qobject_cast<const QComboBox *>(widget)) {
            for (int i = 0; i < combo->count(); ++i)
                add(problems, where + QStringLiteral(" item"), combo->itemText(i));
        }
        if (const auto *view = qobject_cast<const QAbstractItemView *>(widget);
            view && view->model())
            auditModel(view->model(), where, problems);
        auditActions(widget->actions(), where, problems);
    }

    QSet<QString> m_english;
};

} // namespace tern::test
