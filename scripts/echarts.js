// The ECharts bundle the pages load: only the chart types and components
// that charts/ builds (bar, line and gauge charts; grid, tooltip, legend,
// title, the target's mark line and the aria patterns for print), drawn on
// canvas. A chart that needs another type or component adds it here;
// charts/bundle_test.go checks that every type charts/ emits is listed.
// Built by scripts/build-echarts.sh (make assets) into static/vendor/.
import * as echarts from "echarts/core";
import { BarChart, LineChart, GaugeChart } from "echarts/charts";
import {
  GridSimpleComponent,
  TooltipComponent,
  LegendPlainComponent,
  TitleComponent,
  MarkLineComponent,
  AriaComponent,
} from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([BarChart, LineChart, GaugeChart, GridSimpleComponent, TooltipComponent, LegendPlainComponent,
  TitleComponent, MarkLineComponent, AriaComponent, CanvasRenderer]);

window.echarts = echarts;
