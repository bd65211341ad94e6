#pragma once

//! Checks the objectNames UI automation finds widgets by (tests, header-only): every interactive
//! widget alive (buttons, line and text edits, item views, combo boxes, spin boxes, sliders, tab
//! bars) and every action of a menu needs a stable objectName, unique within its window and
//! listed in docs/widget-names.md, so the document cannot fall behind the app.
//
// Qt's own parts that are reached through their owner, not by name, are left out: the scroll
// bars of scroll areas (view->verticalScrollBar()), the popup list of a combo box
// (combo->view()), the line edit inside a spin or combo box (lineEdit()), a tab bar's scroll
// buttons, objects Qt names itself ("qt_…"), and the context menus of line edits and scroll
// bars, which Qt builds itself without naming their actions.

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QHash>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSet>
#include <QTabBar>
#include <QTextEdit>
#include <QWidget>

namespace tern::test {

class WidgetNameAudit
{
public:
    //! The names in `path` (each written in backticks, `likeThis`); false with `error` set when
    //! the file cannot be read.
    bool readDocument(const QString &path, QString *error)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
            *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
            return false;
        }
        static const QRegularExpression quoted(QStringLiteral("`([A-Za-z][A-Za-z0-9_-]*)`"));
        const QString text = QString::fromUtf8(file.readAll());
        for (const QRegularExpressionMatch &match : quoted.globalMatch(text))
            m_documented.insert(match.captured(1));
        return !m_documented.isEmpty();
    }

    static bool isInteractive(const QWidget *widget)
    {
        return qobject_cast<const QAbstractButton *>(widget) ||
               qobject_cast<const QLineEdit *>(widget) || qobject_cast<const QTextEdit *>(widget) ||
               qobject_cast<const QPlainTextEdit *>(widget) ||
               qobject_cast<const QAbstractItemView *>(widget) ||
               qobject_cast<const QComboBox *>(widget) ||
               qobject_cast<const QAbstractSpinBox *>(widget) ||
               qobject_cast<const QAbstractSlider *>(widget) ||
               qobject_cast<const QTabBar *>(widget);
    }

    //! Qt's inner parts, reached through their owner (see the file comment).
    static bool isQtPart(const QWidget *widget)
    {
        if (widget->objectName().startsWith(QLatin1String("qt_")))
            return true;
        const QWidget *parent = widget->parentWidget();
        if (qobject_cast<const QScrollBar *>(widget) && parent &&
            parent->objectName().startsWith(QLatin1String("qt_scrollarea_")))
            return true;
        if (qobject_cast<const QLineEdit *>(widget) &&
            (qobject_cast<const QAbstractSpinBox *>(parent) ||
             qobject_cast<const QComboBox *>(parent)))
            return true;
        if (qobject_cast<const QTabBar *>(parent))
            return true;
        for (const QWidget *up = parent; up; up = up->parentWidget()) {
            if (up->inherits("QComboBoxPrivateContainer"))
                return true;
        }
        return false;
    }

    //! Menus Qt makes and fills itself: a line edit's (qt_edit_menu, actions unnamed in Qt
    //! 6.4) and a scroll bar's. A plain text edit's names its actions (edit-copy…) and is checked.
    static bool isQtMenu(const QMenu *menu)
    {
        return menu->objectName().startsWith(QLatin1String("qt_")) ||
               qobject_cast<const QScrollBar *>(menu->parentWidget());
    }

    //! Problems of every live widget now; `state` says where the walk was.
    QStringList auditAll(const QString &state)
    {
        QSet<QString> problems;
        // window -> objectName -> how many interactive widgets have it
        QHash<const QWidget *, QHash<QString, int>> names;
        const auto widgets = QApplication::allWidgets();
        for (QWidget *widget : widgets) {
            if (!isInteractive(widget) || isQtPart(widget))
                continue;
            const QString name = widget->objectName();
            if (name.isEmpty()) {
                problems.insert(QStringLiteral("%1: %2 without an objectName (in %3)")
                                    .arg(state, describe(widget), path(widget)));
                continue;
            }
            ++names[widget->window()][name];
            checkDocumented(name, state, describe(widget), &problems);
        }
        for (auto window = names.cbegin(); window != names.cend(); ++window) {
            for (auto name = window->cbegin(); name != window->cend(); ++name) {
                if (name.value() > 1)
                    problems.insert(QStringLiteral("%1: objectName %2 used %3 times in %4")
                                        .arg(state, name.key())
                                        .arg(name.value())
                                        .arg(describe(window.key())));
            }
        }
        for (const QWidget *widget : widgets) {
            const auto *menu = qobject_cast<const QMenu *>(widget);
            if (menu && menu->isVisible() && !isQtMenu(menu))
                problems.unite(auditMenu(menu, state));
        }
        QStringList list = problems.values();
        list.sort();
        return list;
    }

    //! Every action of an open menu, submenus included.
    QSet<QString> auditMenu(const QMenu *menu, const QString &state)
    {
        QSet<QString> problems;
        QSet<QString> seen;
        const auto actions = menu->actions();
        for (const QAction *action : actions) {
            if (action->isSeparator())
                continue;
            const QString what =
                QStringLiteral("menu action “%1” of %2").arg(action->text(), describe(menu));
            if (action->objectName().isEmpty()) {
                problems.insert(QStringLiteral("%1: %2 without an objectName").arg(state, what));
            } else {
                if (seen.contains(action->objectName()))
                    problems.insert(QStringLiteral("%1: objectName %2 used twice in %3")
                                        .arg(state, action->objectName(), describe(menu)));
                seen.insert(action->objectName());
                checkDocumented(action->objectName(), state, what, &problems);
            }
            if (action->menu())
                problems.unite(auditMenu(action->menu(), state));
        }
        return problems;
    }

    //! Every name checked so far (for reporting what the walk saw).
    const QSet<QString> &found() const { return m_found; }

private:
    void checkDocumented(const QString &name, const QString &state, const QString &what,
                         QSet<QString> *problems)
    {
        m_found.insert(name);
        if (!m_documented.contains(name))
            problems->insert(
                QStringLiteral("%1: %2 is not listed in docs/widget-names.md").arg(state, what));
    }

    static QString describe(const QWidget *widget)
    {
        QString text = QString::fromLatin1(widget->metaObject()->className());
        if (!widget->objectName().isEmpty())
            text += QLatin1Char('#') + widget->objectName();
        return text;
    }

    //! The widget's ancestors, to find a nameless one in the code.
    static QString path(const QWidget *widget)
    {
        QStringList parts;
        for (const QWidget *up = widget->parentWidget(); up; up = up->parentWidget())
            parts.prepend(describe(up));
        return parts.join(QStringLiteral(" > "));
    }

    QSet<QString> m_documented;
    QSet<QString> m_found;
};

} // namespace tern::test
