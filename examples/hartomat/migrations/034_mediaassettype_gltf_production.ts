import { defineMigration } from "sluice";

export default defineMigration({
  revision: "034",
  downRevision: "033",
  message: "mediaassettype gltf_production",
  irreversible: "PostgreSQL cannot remove the gltf_production value from mediaassettype",
  upgrade(op) {
    op.addEnumValue("mediaassettype", "gltf_production", { ifNotExists: true });
  },
  downgrade(op) {
    // PostgreSQL cannot remove a value from an enum: the value stays.
  },
});
