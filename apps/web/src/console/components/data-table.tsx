/**
 * A plain table of rows described by columns: one header row, then one body row per item. A
 * column marked `isRowHeader` gives each row its header cell; `isNumeric` aligns it as a number.
 */
import type { ReactNode } from "react";

export type Column<Row> = {
  key: string;
  header: ReactNode;
  cell: (row: Row, index: number) => ReactNode;
  isNumeric?: boolean;
  isRowHeader?: boolean;
};

export function DataTable<Row>({
  columns,
  rows,
  rowKey,
}: {
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
}) {
  return (
    <table>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.key} scope="col" className={column.isNumeric ? "numeric" : undefined}>
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => (
          <tr key={rowKey(row)}>
            {columns.map((column) =>
              column.isRowHeader ? (
                <th key={column.key} scope="row">
                  {column.cell(row, index)}
                </th>
              ) : (
                <td key={column.key} className={column.isNumeric ? "numeric" : undefined}>
                  {column.cell(row, index)}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
