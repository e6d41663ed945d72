/**
 * A rule's explanation as nested, collapsible lists: each node is a condition or a value the
 * engine computed, its children the parts it was made of. The top levels start open because
 * they say which condition decided; deeper ones start closed to keep long trees readable.
 */
import type { ExplanationNodeView } from "@mimamori/contracts";
import { formatValue } from "../format.ts";

const depthOpenMax = 1;

function NodeLabel({ node }: { node: ExplanationNodeView }) {
  if (node.value === undefined || node.value === null) {
    return <>{node.text}</>;
  }
  if (typeof node.value === "boolean") {
    return (
      <>
        {node.text}{" "}
        <span className={node.value ? "truth truth-yes" : "truth truth-no"}>
          <span aria-hidden="true">{node.value ? "✓" : "✗"} </span>
          {String(node.value)}
        </span>
      </>
    );
  }
  return (
    <>
      {node.text} = <code>{formatValue(node.value)}</code>
    </>
  );
}

function ExplanationItem({ node, depth }: { node: ExplanationNodeView; depth: number }) {
  if (node.children.length === 0) {
    return (
      <li>
        <NodeLabel node={node} />
      </li>
    );
  }
  return (
    <li>
      <details open={depth < depthOpenMax}>
        <summary>
          <NodeLabel node={node} />
        </summary>
        <ul className="tree">
          {node.children.map((child, index) => (
            // The tree is fixed once rendered, so the position is a stable key.
            // biome-ignore lint/suspicious/noArrayIndexKey: nodes have no identity of their own
            <ExplanationItem key={index} node={child} depth={depth + 1} />
          ))}
        </ul>
      </details>
    </li>
  );
}

export function ExplanationTree({ tree }: { tree: ExplanationNodeView }) {
  return (
    <ul className="tree">
      <ExplanationItem node={tree} depth={0} />
    </ul>
  );
}
