import { defineMigration } from "sluice";

export default defineMigration({
  revision: "023",
  downRevision: "022",
  message: "users full name",
  upgrade(op) {
    op.addColumn("users", { name: "full_name", type: "varchar(200)", nullable: true });
    // Until people fill it in, show the local part of their e-mail address.
    op.execute("UPDATE users SET full_name = split_part(email, '@', 1) WHERE full_name IS NULL");
  },
  downgrade(op) {
    op.dropColumn("users", "full_name");
  },
});
