import { defineMigration } from "sluice";

export default defineMigration({
  revision: "018",
  downRevision: "017",
  message: "mediaassettype thumbnail",
  irreversible: "PostgreSQL cannot remove the thumbnail value from mediaassettype",
  upgrade(op) {
    op.addEnumValue("mediaassettype", "thumbnail", { ifNotExists: true });
  },
  downgrade(op) {
    // PostgreSQL cannot remove a value from an enum: the value stays.
  },
});
