import { defineMigration } from "sluice";

export default defineMigration({
  revision: "027",
  downRevision: "026",
  message: "mediaassettype gltf",
  irreversible: "PostgreSQL cannot remove the gltf value from mediaassettype",
  upgrade(op) {
    op.addEnumValue("mediaassettype", "gltf", { ifNotExists: true });
  },
  downgrade(op) {
    // PostgreSQL cannot remove a value from an enum: the value stays.
  },
});
