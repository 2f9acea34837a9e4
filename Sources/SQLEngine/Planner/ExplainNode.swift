/// One operator of a plan as EXPLAIN shows it: its name, where it runs (`root` in the SQL
/// server, `cop` in the stores), what it does, and its inputs.
struct ExplainNode {
  var name: String
  var task: String
  var info: String
  var children: [ExplainNode] = []

  /// The tree as rows of (id, task, operator info), children indented under their parent with
  /// TiDB's `└─` and `├─`.
  func rows() -> [(id: String, task: String, info: String)] {
    var rows: [(String, String, String)] = []
    func walk(_ node: ExplainNode, prefix: String, isLast: Bool, isRoot: Bool) {
      let id = isRoot ? node.name : prefix + (isLast ? "└─" : "├─") + node.name
      rows.append((id, node.task, node.info))
      let childPrefix = isRoot ? "" : prefix + (isLast ? "  " : "│ ")
      for (i, child) in node.children.enumerated() {
        walk(child, prefix: childPrefix, isLast: i == node.children.count - 1, isRoot: false)
      }
    }
    walk(self, prefix: "", isLast: true, isRoot: true)
    return rows
  }
}
