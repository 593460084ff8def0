/**
 * ECharts for the dashboard: only the parts the shared chart specs use (bar and line charts, grid,
 * legend, tooltip) and the SVG renderer — crisp at any zoom, and every bar is an element a person
 * (or a test) can click. Imported only by the lazily loaded dashboard view, so none of it is in the
 * app's first chunk.
 */
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export { echarts };
