package io.github.superresolve.ij;

import ij.measure.ResultsTable;
import io.github.superresolve.consistency.ConsistencyReport;
import io.github.superresolve.consistency.ConsistencyRow;

import java.awt.GraphicsEnvironment;

/**
 * The Results table of <em>Super-Resolve Image...</em>'s consistency check: one row per channel, slice and
 * frame of each image checked, appended to the table already open so that a macro over a folder collects
 * every image's RSE and RSP in one table (macros read it with {@code Table.get("RSP", row, "Super-Resolve consistency")}).
 */
final class ConsistencyTable {

    /** The table's window title. */
    static final String TITLE = "Super-Resolve consistency";

    private ConsistencyTable() {
    }

    /** The open table (a new one when there is none, or no display) with the report's rows added. */
    static ResultsTable append(ConsistencyReport report, String method) {
        ResultsTable rt = GraphicsEnvironment.isHeadless() ? null : ResultsTable.getResultsTable(TITLE);
        if (rt == null) rt = new ResultsTable();
        rt.showRowNumbers(false);
        for (ConsistencyRow r : report.rows()) {
            rt.incrementCounter();
            rt.addValue("Image", r.image());
            rt.addValue("Method", method);
            rt.addValue("Scale", report.scale());
            rt.addValue("Channel", r.channel());
            rt.addValue("Slice", r.slice());
            rt.addValue("Frame", r.frame());
            rt.addValue("RSE", r.rse());
            rt.addValue("RSP", r.rsp());
            rt.addValue("Gain", r.gain());
            rt.addValue("Offset", r.offset());
            rt.addValue("Degradation", report.degradation().toString());
        }
        rt.setDecimalPlaces(rt.getColumnIndex("RSE"), 4);
        rt.setDecimalPlaces(rt.getColumnIndex("RSP"), 6);
        rt.setDecimalPlaces(rt.getColumnIndex("Gain"), 5);
        rt.setDecimalPlaces(rt.getColumnIndex("Offset"), 4);
        return rt;
    }
}
