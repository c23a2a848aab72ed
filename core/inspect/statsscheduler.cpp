#include "statsscheduler.h"

#include "inspect/statspasses.h"
#include "inspect/workers.h"
#include "base/job.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

namespace tfjs::stats {

namespace {

// The shared state of one run: plans, the order of the work and the first error.
class Scheduler
{
public:
    Scheduler(const ByteSource &source, std::vector<Plan> &plans, int bins, qint64 holdBytes,
        JobContext &ctx)
        : m_source(source), m_plans(plans), m_bins(bins), m_holdBytes(holdBytes), m_ctx(ctx)
    { }

    Result<void> run(int threads)
    {
        runWorkers(threads, [this] { work(); });
        if (m_error)
            return fail(*m_error);
        return {};
    }

private:
    struct Task
    {
        Plan *plan = nullptr;
        std::size_t item = 0;
        int pass = 1;
        bool whole = false; // both passes done (one-item plans)
    };

    void work()
    {
        Scratch scratch;
        for (;;) {
            Task task;
            {
                std::unique_lock lock(m_mutex);
                for (;;) {
                    if (m_error || m_done == m_plans.size())
                        return;
                    if (m_ctx.isCancelled()) {
                        failLocked(cancelledError());
                        return;
                    }
                    if (takeLocked(task))
                        break;
                    // Taking may have finished tensors without work (empty, strings).
                    if (m_done == m_plans.size()) {
                        m_wake.notify_all();
                        return;
                    }
                    m_wake.wait(lock);
                }
            }
            Result<void> ran = runTask(task, scratch);
            std::lock_guard lock(m_mutex);
            if (!ran)
                failLocked(ran.error());
            else
                completeLocked(task, scratch);
            m_wake.notify_all();
        }
    }

    void failLocked(const Error &error)
    {
        if (!m_error)
            m_error = error;
        m_wake.notify_all();
    }

    bool takeLocked(Task &task)
    {
        for (Plan *plan : m_active) {
            if (plan->pass2Ready && plan->nextPass2 < plan->items.size()) {
                task = {plan, plan->nextPass2++, 2};
                return true;
            }
        }
        for (Plan *plan : m_active) {
            if (plan->nextPass1 < plan->items.size()) {
                task = {plan, plan->nextPass1++, 1};
                return true;
            }
        }
        while (m_next < m_plans.size()) {
            Plan &plan = m_plans[m_next];
            if (plan.items.empty()) {
                ++m_next;
                finishLocked(plan);
                continue;
            }
            if (!m_active.empty() && plan.hold && m_heldBytes + plan.layout.bytes > m_holdBytes)
                return false;
            ++m_next;
            m_active.push_back(&plan);
            if (plan.hold)
                m_heldBytes += plan.layout.bytes;
            task = {&plan, plan.nextPass1++, 1};
            return true;
        }
        return false;
    }

    Result<void> runTask(Task &task, Scratch &scratch)
    {
        Plan &plan = *task.plan;
        Item &item = plan.items[task.item];
        ByteSource::View view;
        if (task.pass == 2 && item.held.data) {
            view = std::move(item.held);
            item.held = {};
        } else {
            auto fetched = m_source.view(item.offset, item.bytes);
            if (!fetched)
                return fail(fetched.error());
            view = std::move(*fetched);
        }
        if (task.pass == 1) {
            runPass1(plan, item, view.data, scratch);
            m_ctx.addBytes(firstHalf(item.bytes));
            if (plan.items.size() == 1) {
                // The whole tensor is in this item, and no other task touches its plan: take
                // the second pass now, while the data is in this core's cache.
                if (prepareSecondPass(plan, m_bins)) {
                    runPass2(plan, item, view.data, scratch);
                    addCounts(plan, scratch);
                    plan.m2.add(item.m2);
                }
                m_ctx.addBytes(secondHalf(item.bytes));
                task.whole = true;
            } else if (plan.hold) {
                item.held = std::move(view);
            }
        } else {
            runPass2(plan, item, view.data, scratch);
            m_ctx.addBytes(secondHalf(item.bytes));
        }
        return {};
    }

    // Progress counts each weight byte once: half of it when the first pass is over it, the
    // rest when the second pass is (or when the tensor turns out to need no second pass).
    static qint64 firstHalf(qint64 bytes) { return bytes / 2; }
    static qint64 secondHalf(qint64 bytes) { return bytes - bytes / 2; }

    void completeLocked(const Task &task, const Scratch &scratch)
    {
        Plan &plan = *task.plan;
        if (task.whole) { // a one-item plan done in one go by runTask
            finishLocked(plan);
            return;
        }
        if (task.pass == 1) {
            if (++plan.donePass1 < plan.items.size())
                return;
            if (!prepareSecondPass(plan, m_bins)) {
                qint64 rest = 0;
                for (const Item &item : plan.items)
                    rest += secondHalf(item.bytes);
                m_ctx.addBytes(rest);
                finishLocked(plan);
                return;
            }
            plan.pass2Ready = true;
            return;
        }
        addCounts(plan, scratch);
        if (++plan.donePass2 < plan.items.size())
            return;
        for (const Item &item : plan.items)
            plan.m2.add(item.m2);
        finishLocked(plan);
    }

    void finishLocked(Plan &plan)
    {
        for (Item &item : plan.items)
            item.held = {};
        const auto it = std::find(m_active.begin(), m_active.end(), &plan);
        if (it != m_active.end()) {
            m_active.erase(it);
            if (plan.hold)
                m_heldBytes -= plan.layout.bytes;
        }
        if (plan.kind == Kind::String)
            m_ctx.addBytes(plan.layout.bytes);
        ++m_done;
        m_ctx.addItems();
    }

    const ByteSource &m_source;
    std::vector<Plan> &m_plans;
    const int m_bins;
    const qint64 m_holdBytes;
    JobContext &m_ctx;

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Plan *> m_active;
    std::size_t m_next = 0;
    std::size_t m_done = 0;
    qint64 m_heldBytes = 0;
    std::optional<Error> m_error;
};

} // namespace

Result<void> runPlans(std::vector<Plan> &plans, const ByteSource &source, int bins,
    qint64 holdBytes, int threads, JobContext &ctx)
{
    return Scheduler(source, plans, bins, holdBytes, ctx).run(threads);
}

} // namespace tfjs::stats
