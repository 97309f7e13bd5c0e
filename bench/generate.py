#!/usr/bin/env python3
"""Generates a realistic sitrep ledger as JSON Lines in the shape `sitrep export` writes.

Incidents of every kind over the years before NOW, mostly 一般, some 较大, a few 重大; each told
to its leaders and the city, followed up, sometimes corrected, and closed, except the most recent
OPEN ones, which are still open. Chinese text throughout.

    generate.py INCIDENTS ENTRIES OPEN [SEED] > ledger.jsonl

Entries per incident average ENTRIES / INCIDENTS (at least 6).
"""

import json
import random
import sys
from datetime import datetime, timedelta, timezone

TZ = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 1, 12, 0, tzinfo=TZ)

KINDS = ["fire", "road_traffic", "gas", "geological", "hazardous_chemicals", "mining",
         "construction", "industrial", "other"]
PLACES = ["开发区化工园", "城东街道", "高新区", "北环路与建设路交叉口", "市第二人民医院", "滨江新城工地",
          "西山矿区", "老城区", "经济技术开发区", "临港物流园"]
UNITS = ["区应急管理局", "县应急管理局", "市交警支队", "区住建局", "消防救援大队", "街道办事处"]
WHAT = {
    "fire": ("民房火灾", "一处民房起火，火势已蔓延至二楼"),
    "road_traffic": ("道路交通事故", "两车相撞，一车侧翻，有人员被困"),
    "gas": ("燃气管道泄漏", "施工挖断中压燃气管道，现场有明显气味"),
    "geological": ("山体滑坡", "连日降雨引发山体滑坡，掩埋部分道路"),
    "hazardous_chemicals": ("化工厂储罐泄漏", "储罐阀门泄漏，现场有刺激性气味"),
    "mining": ("矿井透水", "井下发生透水，部分作业人员未能升井"),
    "construction": ("塔吊倒塌", "施工现场塔吊倒塌，砸中临时工棚"),
    "industrial": ("粉尘爆燃", "车间发生粉尘爆燃，部分设备损毁"),
    "other": ("广告牌坠落", "大风导致广告牌坠落，砸中路边车辆"),
}
MEASURES = ["已疏散周边群众", "消防救援大队到场处置", "已设置警戒区并实施交通管制", "医疗救护人员已到场",
            "已关闭上游阀门", "组织专家现场研判"]
PROGRESS = ["险情已得到控制", "被困人员已全部救出", "现场清理工作正在进行", "伤员生命体征平稳",
            "道路已恢复通行", "空气检测指标正常"]
CONTACTS = ["王副区长", "李区长", "市总值班室 张科长", "市总值班室 刘科长"]


def ts(t):
    return t.isoformat(timespec="seconds")


def gen(n_incidents, n_entries, n_open, seed):
    rnd = random.Random(seed)
    per = max(6.0, n_entries / n_incidents)
    # Incidents spread over the years before NOW; the most recent n_open stay open.
    # Closed ones ended well before NOW, so only the open ones are open at NOW.
    span = timedelta(days=max(30, n_incidents // 90))
    starts = sorted(NOW - timedelta(days=40) - timedelta(seconds=rnd.randrange(int(span.total_seconds())))
                    for _ in range(n_incidents - n_open))
    recent = sorted(NOW - timedelta(seconds=rnd.randrange(3 * 86400, 10 * 86400)) for _ in range(n_open))
    numbers = {}
    out = sys.stdout
    for i, occurred in enumerate(starts + recent):
        is_open = i >= n_incidents - n_open
        occurred = occurred.replace(microsecond=0)
        known = occurred + timedelta(minutes=rnd.randint(2, 20))
        filed = known + timedelta(minutes=rnd.randint(1, 10))
        day = known.strftime("%Y%m%d")
        numbers[day] = numbers.get(day, 0) + 1
        iid = f"{day}-{numbers[day]:03d}"
        kind = rnd.choice(KINDS)
        title, facts = WHAT[kind]
        r = rnd.random()
        deaths = 0 if r < 0.85 else (rnd.randint(1, 2) if r < 0.95 else rnd.randint(3, 12))
        injuries = rnd.randint(0, 8)
        figures = {"deaths": deaths, "injuries": injuries}
        if rnd.random() < 0.3:
            figures["direct_loss"] = rnd.randint(1, 800) * 10000
        entries = []

        def entry(at, typ, **fields):
            e = {"n": len(entries) + 1, "type": typ, "at": ts(at), "recorded": ts(at), "by": "值班员",
                 "os_user": "duty", "simulated_clock": False}
            e.update(fields)
            entries.append(e)

        entry(filed, "initial", title=title, kind=kind, occurred=ts(occurred), known=ts(known),
              location=rnd.choice(PLACES), unit=rnd.choice(UNITS), declared_severity=None,
              facts=facts, measures=rnd.choice(MEASURES), figures=figures, cause=None)
        t = known
        for level, minutes in (("leader_in_charge", 12), ("principal_leader", 14), ("city", 28)):
            entry(t + timedelta(minutes=rnd.randint(1, minutes)), "escalation", level=level,
                  channel="phone", contact=rnd.choice(CONTACTS), reason=None)
        entry(t + timedelta(minutes=rnd.randint(30, 70)), "escalation", level="city", channel="written",
              contact=None, reason=None)
        followups = max(1, round(per) - 6)
        t = filed
        for _ in range(followups):
            t = t + timedelta(hours=rnd.randint(6, 25))
            if is_open and t > NOW - timedelta(hours=1):
                break
            add = {}
            if rnd.random() < 0.1:
                add["injuries"] = injuries + rnd.randint(0, 2)
            entry(t, "followup", progress=rnd.choice(PROGRESS), measures=rnd.choice(MEASURES),
                  figures=add, cause=None)
        if rnd.random() < 0.05:
            entry(t + timedelta(minutes=5), "correction", corrects=2, reason="报送时间记录有误，以通话记录为准",
                  changes={"at": ts(known + timedelta(minutes=3))})
        if not is_open:
            entry(t + timedelta(hours=rnd.randint(1, 20)), "final", summary="处置完毕，现场已移交",
                  measures="做好善后工作", figures={},
                  cause={"text": "设备老化", "status": rnd.choice(["preliminary", "confirmed"])})
        line = {"id": iid, "title": title, "kind": kind, "entries": entries}
        out.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")))
        out.write("\n")


if __name__ == "__main__":
    a = sys.argv[1:]
    gen(int(a[0]), int(a[1]), int(a[2]), int(a[3]) if len(a) > 3 else 1)
